"""strategy-qrs: Bollinger mean reversion, a strategy of the pipeline written in Python.

It shares no code with the Java services: it joins through the contracts alone (the Avro schemas
in Apicurio Registry, the topics, the order ids and the HTTP shapes). See README.md.
"""
