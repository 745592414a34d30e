-- 0007-automation.sql: what the automation runner needs beyond 0001.
--
-- SPDX-License-Identifier: GPL-3.0-or-later
--
-- Every statement here is constant-time on a database of any size: new
-- tables and indexes on tables that start empty, and a nullable column
-- added to orders (SQLite only rewrites the schema text).

-- The service a select_service rule action chose for the order, as JSON:
-- {"strategy": "cheapest"|"fastest"|"cheapest_within_days"|"fixed",
--  "days": N, "carrier": "ups", "service": "ground", "rule": RULE_ID}.
-- The rate selector preselects it; nothing is bought automatically.
ALTER TABLE orders ADD COLUMN preferred_service TEXT;

-- Actions of a rule run that failed in a way that is safe to try again
-- (queueing an email: the outbox's dedup key makes a retry harmless).
-- A retry is never dropped: it ends 'done' or, after too many attempts,
-- 'gave_up', both visible in the activity log with the last error.
CREATE TABLE rule_retries (
  id              INTEGER PRIMARY KEY,
  run_id          INTEGER NOT NULL REFERENCES rule_runs (id) ON DELETE CASCADE,
  action_index    INTEGER NOT NULL,
  action          TEXT NOT NULL,                 -- the action's JSON
  state           TEXT NOT NULL DEFAULT 'pending'
                  CHECK (state IN ('pending', 'done', 'gave_up')),
  attempts        INTEGER NOT NULL DEFAULT 1,
  next_attempt_at INTEGER,
  last_error      TEXT,
  UNIQUE (run_id, action_index)
);
-- The runner's "what is due" question.
CREATE INDEX rule_retries_due ON rule_retries (next_attempt_at) WHERE state = 'pending';

-- The activity log of every rule, newest first.
CREATE INDEX rule_runs_time ON rule_runs (ran_at);

-- The runner's cursor (PS_RULE_STORE_CURSOR_KEY): the last event it has
-- looked at. A database that already has history starts at its newest
-- event, so switching a rule on never acts on the past; a new database
-- starts at 0. (max(id) of an INTEGER PRIMARY KEY is one b-tree probe.)
INSERT OR REPLACE INTO meta (key, value)
  SELECT 'automation.cursor', CAST (coalesce (max (id), 0) AS TEXT) FROM events;
