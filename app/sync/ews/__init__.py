"""Exchange Web Services through exchangelib: connect, autodiscover, diagnose, the EWS backend."""
