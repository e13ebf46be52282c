"""The polling daemon: scheduler and worker pool over retrieval, parsing, the store and the timeline."""

from timeline.daemon.logfmt import setup_logging
from timeline.daemon.poller import Poller, PollReport
from timeline.daemon.rebuild import RebuildReport, rebuild_timeline
from timeline.daemon.service import Daemon

__all__ = ["Daemon", "PollReport", "Poller", "RebuildReport", "rebuild_timeline", "setup_logging"]
