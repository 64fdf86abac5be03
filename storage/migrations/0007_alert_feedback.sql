-- Readers' verdicts on alerts (issue 11): one per alert (outbox row); a later verdict on the same
-- alert replaces the earlier one. `rasad topics backtest` scores the rules on them.
CREATE TABLE alert_feedback (
    alert_id INTEGER PRIMARY KEY REFERENCES alert_outbox(id),
    verdict TEXT NOT NULL CHECK (verdict IN ('right', 'wrong')),
    note TEXT,
    created TEXT NOT NULL
);
