"""Error bodies in the two shapes the seed document shows, shared by the mock's tests and the error-parsing tests.

iLO answers tersely (a MessageId per item, no texts); the RMC sends the full DMTF message with its resolution.
"""

from __future__ import annotations


def ilo_error(*items: dict) -> dict:
    """An iLO error body carrying ``items`` as its ``@Message.ExtendedInfo``."""
    return {
        "error": {
            "code": "iLO.0.10.ExtendedInfo",
            "message": "See @Message.ExtendedInfo for more information.",
            "@Message.ExtendedInfo": list(items),
        }
    }


RMC_NO_VALID_SESSION = {
    "error": {
        "code": "Base.1.8.GeneralError",
        "message": "A general error has occurred. See Resolution for information on how to resolve the error.",
        "@Message.ExtendedInfo": [
            {
                "@odata.type": "#Message.v1_1_0.Message",
                "MessageId": "Base.1.8.NoValidSession",
                "Message": "There is no valid session established with the implementation.",
                "MessageArgs": [],
                "Severity": "Critical",
                "MessageSeverity": "Critical",
                "Resolution": "Establish a session before attempting any operations.",
            }
        ],
    }
}
