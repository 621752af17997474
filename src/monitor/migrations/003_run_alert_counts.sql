-- What each cycle found and sent for alerts, beside its article counts.
ALTER TABLE runs ADD COLUMN contradictions_new INTEGER NOT NULL DEFAULT 0;
ALTER TABLE runs ADD COLUMN contradictions_extended INTEGER NOT NULL DEFAULT 0;
ALTER TABLE runs ADD COLUMN alerts_queued INTEGER NOT NULL DEFAULT 0;
ALTER TABLE runs ADD COLUMN alerts_sent INTEGER NOT NULL DEFAULT 0;
ALTER TABLE runs ADD COLUMN alerts_deferred INTEGER NOT NULL DEFAULT 0;
