"""Fifth round of general rules for the coded sets' errors, each on hand-written sentences
(no sentence is taken from a development set)."""

from .test_casualties_rules import summary


def test_killed_and_wounded_count_is_recorded_as_deaths():
    assert summary("A bomb killed and wounded at least 40 people and wounded 90 at the bus depot.") == (40, 90)
    assert summary("Militants killed and wounded 17 guards at the border post.")[0] == 17
    assert summary("Shelling killed or injured 9 farmers in the valley.")[0] == 0  # unsure: no toll


def test_burnt_alive_and_mowed_down_are_killed():
    assert summary("A trader was burnt alive in his shop. Attackers killed two other men in the market.")[0] == 3
    assert summary("Eleven pilgrims were mowed down by gunmen on the road.")[0] == 11


def test_lives_lost_are_deaths():
    assert summary("The lives of seven miners were lost when soldiers fired on the crowd.")[0] == 7
    assert summary("At least 14 lives were lost in the attack on the camp.")[0] == 14


def test_casualties_count_as_deaths():
    assert summary("The raid on the market resulted in at least 12 civilian casualties.")[0] == 12
    assert summary("The protests led to several casualties in the capital.")[0] == 0  # no number


def test_casualty_figure_revised_is_a_toll():
    text = "Police confirmed the killing of three farmers. The casualty figure later increased to eight."
    assert summary(text)[0] == 8
    assert summary("Two men were killed. The death count rose to five by evening.")[0] == 5


def test_competing_toll_estimates_are_not_added():
    text = "Aid groups put the death toll at 30, 45, possibly 70, and more than 90."
    assert summary(text)[0] == 90


def test_possessive_before_a_count_does_not_hide_it():
    assert summary("Gunmen killed a farmer and his three sons in their field.")[0] == 4
    assert summary("A shell hit the car, killing a woman and her two children.")[0] == 3
    assert summary("A teacher and his 2 daughters were killed in the blast.")[0] == 3


def test_long_subject_runs_through_joined_places():
    text = "At least nine herders from the Kolo district and Bama area of the northern state were killed on Sunday."
    assert summary(text)[0] == 9


def test_fatally_shot_before_the_victim_is_a_killing():
    assert summary("Deputies say a neighbour fatally shot a teenager during the argument.") == (1, 0)
    assert summary("The woman is charged with fatally stabbing her landlord.")[0] == 1


def test_a_killer_who_kills_himself_is_one_more_death():
    assert summary("A man shot his wife to death and then killed himself.")[0] == 2
    assert summary("Police say the father fatally shot his two sons before killing himself.")[0] == 3
    assert summary("A jailed lawmaker killed himself in his cell.")[0] == 1
    story = "Two people died in a murder-suicide. The man shot his wife to death and then killed himself."
    assert summary(story)[0] == 2


def test_region_after_a_place_is_not_a_victim():
    assert summary("On 3 May, in Santa Cruz, Rio Grande, two men were shot dead by gunmen.")[0] == 2
    assert summary("", title="Police Investigate Deaths of Adult, Child in Lakeville")[0] == 2


def test_a_counted_death_or_fatality_is_a_toll():
    assert summary("The clash resulted in 2 rebel and 1 military fatality.")[0] == 3
    assert summary("Fighting between the two clans led to one death in the village.")[0] == 1
    assert summary("Two teens charged with murder in shooting death of a student")[0] == 0  # not the dead


def test_a_toll_split_among_coded_events_counts_this_events_share():
    assert summary("Nine soldiers were killed in two towns. Fatalities split between two events.")[0] == 4
    assert summary("Six rebels were killed in raids. Fatalities are split across 3 events (1).")[0] == 1
    assert summary("A guard was killed. [1 fatality split among 6 events]")[0] == 0
    assert summary("Nine soldiers were killed when the convoy was split between two roads.")[0] == 9
