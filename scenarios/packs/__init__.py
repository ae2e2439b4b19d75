"""Scenario packs: the JSON format scenarios travel in (docs/scenario-pack.md).

- `validation.read_pack`, `validation.pack_problems`: parse and check a pack
  (its shape against `schema.json`, then the rules in `rules.py`);
- `importer.pack_import`: write checked packs to the database in one transaction;
- `exporter.pack_export`: the published scenarios as a pack.
"""
