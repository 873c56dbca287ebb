"""Request handlers, one module per Redfish service: sessions, accounts, certificates, license, systems."""
