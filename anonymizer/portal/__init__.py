"""What a portal takes: the catalogue records of a release and ``anonymizer publish``.

- :mod:`~anonymizer.portal.record` — the facts every record states, built once;
- :mod:`~anonymizer.portal.datapackage` — datapackage.json (Frictionless, typed fields);
- :mod:`~anonymizer.portal.ckan` — ckan.json (a CKAN ``package_create`` payload);
- :mod:`~anonymizer.portal.dcat` — dcat.jsonld (W3C DCAT in JSON-LD);
- :mod:`~anonymizer.portal.verify` — is a release folder what its manifest says it is;
- :mod:`~anonymizer.portal.client` — the portal's action API (ckanapi), failures as one error;
- :mod:`~anonymizer.portal.publish` — uploads a verified release to a CKAN, all or nothing.
"""
