"""Background jobs (issue 12): idempotent functions run by `flask jobs run NAME [--at ISO-TIME]` from cron or a
systemd timer, never by a scheduler inside the web workers. Each job flushes; the command commits once."""
