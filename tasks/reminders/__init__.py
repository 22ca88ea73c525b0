"""Reminders: deadline reminders, urges, daily digests, branch-life and change messages, all
as rows.

One module per subject; callers import from the module, not from this package:

* ``planning``: an assignment's rows in step with its deadline; one message to one person;
* ``claiming``: the beat's pass, claiming the due rows, and the sweep of lost claims;
* ``sending``: one claimed row to its recipients, retries and giving up;
* ``batch``: a send job's batch of claimed rows, shared among a worker's senders (what they
  read once, their SMTP connection, the statements of one step run as one transaction);
* ``delivery``: one recipient served at most once per channel (under every kind of row);
* ``lease``: one worker at a time on a row; ``policy``: quiet hours and the policy row;
* ``urge``: the office's 催办 as a row sent at once;
* ``digests``: the daily overdue digests; ``branch_life``: relation flags, development steps;
* ``changes``: telling people that their work changed (returned, approved, extended, a notice
  published, an item changed or withdrawn, a new comment);
* ``emails``: the emails, one function per kind.

The celery jobs that drive them are in ``tasks.jobs``, the top of the app: the modules here
never import it, and queue work by job name through ``portal.outbox``.
"""
