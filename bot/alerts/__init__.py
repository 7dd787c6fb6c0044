"""Alerts in Slack: the ``watch``/``unwatch`` commands, the Slack poster and the dispatcher.

* ``handle_watch_command`` (``commands``): the words after ``/contexta watch|unwatch``;
* ``SlackAlertPoster`` (``poster``): posts a claimed alert with the team's ``WebClient`` and finds
  a post whose outcome was unclear by its message metadata (``bot.digests.reconcile``);
* ``AlertDispatcher`` (``dispatcher``): the bot's background loop, polling the outbox every
  ``alert_poll_seconds`` (woken at once by PostgreSQL ``NOTIFY`` when available).

The message is rendered by ``bot.rendering.alerts``; its words are in the one catalog.
"""
