"""The ``openbmc`` flavour: a DMTF-standard BMC modelled on OpenBMC's bmcweb (no ``Oem`` anywhere).

Its rules live in :mod:`redfishnb.mock.standard`; the modules here wire them into the mock through the flavour
hooks (``flavor.json`` ``"hooks"``: :mod:`.authn`, :mod:`.policy`) and its own routes for the session, account and trust-store services.
"""
