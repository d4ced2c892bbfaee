"""Word lists that tie numbers to outcomes, victims, causes and sources.

Kept as Python sets and tuples (not data files) because they are read once at import and then
only looked up; every list is lower case and matched against lower-cased tokens.
"""

from __future__ import annotations


def _phrases(*texts: str) -> tuple[tuple[str, ...], ...]:
    return tuple(tuple(text.split()) for text in texts)


# Trigger phrases that follow the victims ("12 people were killed", "a man was shot dead").
OUTCOME_AFTER = {
    "killed": _phrases(
        "killed", "dead", "died", "dies", "die", "slain", "murdered", "executed", "beheaded",
        "massacred", "perished", "lynched", "assassinated", "shot dead", "gunned down",
        "shot and killed", "shot to death", "stabbed to death", "beaten to death",
        "burned to death", "burnt to death", "hacked to death", "bludgeoned to death",
        "crushed to death", "found dead", "found murdered", "lost their lives", "lost his life",
        "lost her life", "deaths", "fatalities", "fatally shot", "fatally wounded",
        "fatally injured", "fatally stabbed", "mortally wounded", "confirmed dead",
        "succumbed", "drowned", "shot and died", "fatal casualties", "killed himself",
        "killed herself", "martyred", "sustained fatal injuries", "suffered fatal injuries",
        "sustained fatal wounds", "suffered fatal wounds", "burnt alive", "burned alive",
        "mowed down", "mown down"),
    "injured": _phrases(
        "injured", "wounded", "hurt", "sustained injuries", "suffered injuries",
        "sustained gunshot wounds", "suffered gunshot wounds", "sustained wounds",
        "hospitalized", "hospitalised", "injuries", "shot and wounded", "shot and injured",
        "stabbed", "beaten"),
    "kidnapped": _phrases("kidnapped", "abducted", "taken hostage", "held hostage",
                          "taken captive", "abductions", "kidnappings"),
    "arrested": _phrases("arrested", "detained", "taken into custody", "apprehended", "arrests"),
    "missing": _phrases("missing", "unaccounted for", "disappeared"),
    "displaced": _phrases("displaced", "homeless", "fled their homes", "forced to flee"),
}
# "Shot" alone is an injury that may be the same victim who later died (see summary.py).
WEAK_INJURY_AFTER = _phrases("shot", "struck by gunfire", "hit by gunfire", "struck by bullets",
                             "hit by bullets", "grazed", "with gunshot wounds", "with a gunshot wound",
                             "with gunshot wound", "suffering from gunshot wounds",
                             "suffering from a gunshot wound", "suffering gunshot wounds",
                             "suffered a gunshot wound", "taken to the hospital", "taken to a hospital",
                             "taken to hospital", "rushed to the hospital", "rushed to a hospital",
                             "rushed to hospital", "transported to the hospital",
                             "transported to a hospital", "transported to hospital")
# Active verbs before the victims that say they were hit, not what became of them ("shot four
# people", "shooting a man"): weak injuries, like "was shot".
WEAK_INJURY_BEFORE = _phrases("shot", "shoots", "shooting", "shot and wounded", "struck", "hitting",
                              "striking")

# Trigger phrases that precede the victims ("killing 12 people", "wounded 40 others").
OUTCOME_BEFORE = {
    "killed": _phrases(
        "killed", "killing", "kills", "slaughtered", "slaughtering", "massacred", "executed",
        "executing", "murdered", "murdering", "shot dead", "gunned down", "shot and killed",
        "claimed the lives of", "claiming the lives of", "claimed the life of",
        "claiming the life of", "beheaded", "beheading", "assassinated", "buried",
        "killing a total of", "killed a total of", "death of", "deaths of", "killing of",
        "murder of", "murders of", "bodies of", "body of", "kill", "massacre of",
        "shot to death", "hacked to death", "beaten to death", "stabbed to death", "burned to death",
        "martyred", "remains of", "corpses of", "mowed down", "fatally shot", "fatally shooting",
        "fatally stabbed", "fatally stabbing", "fatally wounded", "fatally wounding"),
    "injured": _phrases("injured", "injuring", "injures", "wounded", "wounding", "wounds",
                        "shot and wounded", "shot and injured", "hurting", "injuring another"),
    "kidnapped": _phrases("kidnapped", "kidnapping", "abducted", "abducting", "kidnaps",
                          "abducts", "took hostage", "seized"),
    "arrested": _phrases("arrested", "arresting", "detained", "detaining", "arrests"),
    "displaced": _phrases("displaced", "displacing", "uprooted"),
}

# Words allowed between the victims and a following trigger ("were reportedly also killed").
AUXILIARY_GAP = frozenset(
    "were was have has had been being are is be got reportedly also allegedly later all both "
    "each reported believed confirmed feared presumed said thought to may might could would will "
    "initially subsequently eventually now still officially already apparently likely "
    "presumably so far recently just then seriously critically slightly lightly badly "
    "severely allegedly instantly immediately tragically brutally reportedly left found "
    "summarily together since who on night morning evening afternoon overnight yesterday today "
    "early late last this weekend monday tuesday wednesday thursday friday saturday sunday "
    "brutally publicly accidentally unintentionally mistakenly inadvertently first".split())
# Words allowed between an active trigger and the count ("killing also 3", "wounded another 5").
ACTIVE_GAP = frozenset("also reportedly allegedly apparently only all another nearly at least".split())

PERSON_TYPES = {
    "civilian": "civilians civilian villagers villager residents resident women woman children "
                "child kids boys boy girls girl students student worshippers worshipper farmers "
                "farmer fishermen fisherman passengers passenger pilgrims pilgrim protesters "
                "protester demonstrators demonstrator mourners shoppers tourists infants infant "
                "babies baby toddler elderly citizens locals inhabitants refugees migrants "
                "traders trader merchants merchant teachers teacher doctors doctor nurses nurse "
                "herders herder miners worshipers family families relatives wife husband son "
                "daughter brother sister mother father grandmother grandfather uncle aunt "
                "nephew niece cousin teenager teen teens teenagers pedestrian pedestrians "
                "motorist motorists shepherd shepherds shopkeeper vendor driver drivers "
                "worker workers labourers laborers businessman employees employee customers "
                "youths youth activists activist politician politicians lawmaker priest imam "
                "pastor preacher cleric muezzin monk nun chief chiefs elder elders "
                "christians muslims",
    "military": "soldiers soldier troops trooper servicemen serviceman army military marines "
                "marine personnel sailors airmen paratroopers commandos peacekeepers "
                "peacekeeper colonel general captain sergeant lieutenant corporal private "
                "officer-cadets conscripts recruits guardsmen",
    "militant": "militants militant fighters fighter insurgents insurgent rebels rebel "
                "jihadists jihadist terrorists terrorist gunmen gunman attackers attacker "
                "assailants assailant bombers bomber extremists extremist elements combatants "
                "separatists separatist guerrillas guerrilla bandits bandit pirates cultists "
                "militiamen militiaman militia commander commanders taliban shabaab houthis "
                "houthi",
    "police": "police policemen policeman policewomen policewoman officers officer cops cop "
              "constables constable gendarmes gendarme patrolmen deputies deputy agents "
              "guards guard",
    "journalist": "journalists journalist reporters reporter photographer photographers "
                  "cameraman cameramen editor blogger",
    "aid_worker": "aid humanitarian humanitarians",
}
VICTIM_TYPE_OF_WORD = {word: kind for kind, words in PERSON_TYPES.items() for word in words.split()}

SINGULAR_PERSONS = frozenset(
    "man woman boy girl child baby toddler infant teen teenager person civilian soldier "
    "officer policeman policewoman cop trooper guard journalist reporter photographer teacher "
    "student farmer driver worker leader chief elder official commander member mayor governor "
    "judge lawyer activist priest imam pastor preacher cleric muezzin doctor nurse merchant "
    "trader businessman businesswoman politician lawmaker councillor councilor candidate "
    "resident villager herder herdsman fisherman miner shopkeeper vendor suspect inmate "
    "prisoner detainee militant fighter insurgent rebel gunman attacker assailant victim "
    "husband wife son daughter brother sister father mother grandmother grandfather uncle "
    "aunt nephew niece cousin relative friend boyfriend girlfriend partner neighbor neighbour "
    "passenger pedestrian motorist bodyguard employee manager owner shepherd youth pilgrim "
    "protester demonstrator singer musician athlete player colonel general captain sergeant "
    "lieutenant commissioner inspector administrator chairman director secretary minister "
    "deputy sheikh tribesman peacekeeper monk nun bishop rabbi chef clerk cashier customer "
    "adult male female individual someone somebody teenager sarpanch headman elder "
    "spokesman spokesperson agent ranger gendarme constable jailer warden security "
    "businessman contractor engineer pilot priestess cameraman editor blogger paramedic medic "
    "colleague aide supporter councilwoman councilman companion guest legislator senator "
    "professor lecturer principal headmaster scientist writer poet artist actor actress "
    "physician surgeon pharmacist attorney prosecutor magistrate diplomat ambassador envoy "
    "banker accountant landowner rancher hunter watchman mechanic tailor barber cook maid "
    "housewife widow widower grandson granddaughter stepson stepdaughter stepfather "
    "stepmother spouse fiance fiancee chieftain emir dean volunteer informant "
    "captive".split())
PRONOUNS = frozenset("he she him her himself herself self".split())
NEGATED_SUBJECTS = frozenset("no nobody none anyone anybody nothing neither".split())

# Heads that make a number something other than people ("20 km", "3 houses", "5 p.m.").
NON_PERSON = frozenset(
    "years year months month weeks week days day hours hour minutes minute seconds second km "
    "kilometres kilometers kilometre kilometer miles mile metres meters metre meter feet foot "
    "yards percent per cent dollars rupees naira euros pounds shillings houses house homes home "
    "buildings building vehicles vehicle cars car trucks shops villages towns rounds shots "
    "bullets rockets missiles mortars shells bombs explosions blasts attacks attack incidents "
    "times cattle cows goats sheep camels livestock animals dogs horses counts count charges "
    "block am pm a.m p.m a.m. p.m. o'clock cases schools churches mosques points locations districts "
    "provinces states countries areas sites positions tanks weapons guns rifles grenades "
    "devices ieds drones aircraft planes helicopters boats tons tonnes kg litres acres "
    "hectares stories floors storeys votes seats occasions parts pieces degrees hamlets "
    "communities villages bodies-bags airstrikes strikes raids clashes operations "
    "motorcycles motorbikes camps checkpoints mph calibre caliber mm gauge rounds magazines "
    "shell casings casings markers page pages times-a percent% st nd rd th and or".split())
BODY_WORDS = frozenset("bodies corpses remains".split())

MONTHS = {
    "january": 1, "february": 2, "march": 3, "april": 4, "may": 5, "june": 6, "july": 7,
    "august": 8, "september": 9, "october": 10, "november": 11, "december": 12,
    "jan": 1, "feb": 2, "mar": 3, "apr": 4, "jun": 6, "jul": 7, "aug": 8, "sep": 9, "sept": 9,
    "oct": 10, "nov": 11, "dec": 12,
}
WEEKDAYS = {"monday": 0, "tuesday": 1, "wednesday": 2, "thursday": 3, "friday": 4,
            "saturday": 5, "sunday": 6}

# Words before a count that mean it is part of a group already counted.
SUBGROUP_MARKERS = _phrases("including", "includes", "included", "among them", "among whom",
                            "of whom", "of them", "mostly", "mainly", "among the dead",
                            "among the victims", "among those", "among the killed",
                            "among the injured", "among the wounded", "most of them",
                            "many of them", "some of them", "amongst them")
# Words near a count that mean it adds to what was already reported.
ADDITIVE_MARKERS = frozenset("also another more additional further separate separately "
                             "second elsewhere besides other others".split())
UPDATE_MARKERS = _phrases("toll", "coded as", "total fatalities", "bringing", "raising",
                          "rose to", "risen to", "climbed to", "increased to", "reached")

CAUSES = (
    ("suicide attack", ("suicide bomb", "suicide attack", "suicide car bomb", "blew himself",
                        "blew herself", "blew themselves", "suicide vest", "suicide bomber")),
    ("airstrike", ("airstrike", "air strike", "air raid", "airstrikes", "warplane", "bombed by",
                   "coalition strike", "us-led strike", "strikes")),
    ("drone strike", ("drone",)),
    ("shelling", ("shelling", "artillery", "mortar", "rocket", "shells")),
    ("bombing", ("car bomb", "bomb", "ied", "explosive", "explosion", "blast", "landmine",
                 "mine", "grenade")),
    ("shooting", ("shot", "shooting", "gunfire", "gunmen", "opened fire", "gunman", "fire on",
                  "firing", "gun")),
    ("stabbing", ("stabbed", "stabbing", "knife", "machete", "hacked")),
    ("beating", ("beaten", "beating", "lynched", "lynching", "mob")),
    ("arson", ("burned", "burnt", "set fire", "arson", "torched")),
    ("clashes", ("clash", "fighting", "battle", "gunfight", "firefight", "exchange of fire")),
    ("execution", ("executed", "execution", "beheaded")),
)

# Verbs before "to kill" that make the killing unreal ("threatened to kill hundreds").
IRREALIS = frozenset("threatened threatening threaten threatens tried trying try attempted attempt "
                     "attempting planned plan planning plotted plotting plot wanted want wants "
                     "vowed vow would could will may might intended intend intending failed "
                     "not never can cannot shall should able order ordered".split())


# Words whose slips of the keyboard are read as the word ("sevne" civilians, "kiled", "inlcuding"):
# one swapped or dropped letter, five letters or more left, and not itself an English word.
TYPO_TOLERANT = ("three seven eight eleven twelve thirteen fourteen fifteen sixteen seventeen eighteen "
                 "nineteen twenty thirty forty fifty sixty seventy eighty ninety killed including "
                 "injured wounded people").split()
_REAL_WORDS = frozenset("there injure elven leven".split())


def _slips(word: str) -> set[str]:
    swapped = {word[:i] + word[i + 1] + word[i] + word[i + 2:] for i in range(len(word) - 1)}
    dropped = {word[:i] + word[i + 1:] for i in range(len(word))}
    return {slip for slip in swapped | dropped if len(slip) >= 5}


TYPOS = {slip: word for word in TYPO_TOLERANT for slip in _slips(word)
         if slip not in TYPO_TOLERANT and slip not in _REAL_WORDS}
