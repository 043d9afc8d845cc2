"""The audit trail: one row per audited act (logins, account changes, exports, holds, purges,
erasures), written in the same transaction as the act (``trail.record``)."""
