"""Kafka and faust-streaming infrastructure: the local broker, topics, clients, codec, tables, delivery."""
