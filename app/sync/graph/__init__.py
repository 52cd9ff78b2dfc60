"""The Microsoft Graph mail backend: Microsoft 365 mailboxes over Graph v1.0 (the way on after
Exchange Online switches EWS off). Only this package knows Graph's wire."""
