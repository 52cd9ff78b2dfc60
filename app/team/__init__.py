"""Team CRM: many Liaison users on one shared PostgreSQL store, each able to work offline.

A team client never reads or writes the shared store from the UI or the tracking engine. Its
`workspace.crm` is a replica (a SQLite file in the profile, the same schema through the same
migrations) so everything that works for a single user works unchanged, offline included:
- `capture`: every write to the replica is recorded, in the same local transaction, as an
  outbox entry with an idempotency key; rows created locally get provisional ids far above
  anything the shared store hands out.
- `apply`: outbox entries are applied to the shared store, each exactly once (the key is stored
  with the change), with the store enforcing what a single user never meets: one activity per
  Internet Message-ID, one auto-created record per address, and a field-level merge of edits
  made offline (`merge`).
- `replica`: the replica is refreshed incrementally by the store's change counter.
- `link`: the connection settings (password in the keyring), and push-then-refresh as one sync.
"""
