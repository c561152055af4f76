"""An e-mail backend for the crash tests: writes messages to files (Django's file backend), but hangs "mid-send"
on the message for one address while the file ``<dir>/block`` exists, after writing ``<dir>/sending`` with its
process id, so that the test knows when and whom to kill."""

from __future__ import annotations

import os
import time
from pathlib import Path

from django.core.mail.backends.filebased import EmailBackend


class BlockingEmailBackend(EmailBackend):
    def send_messages(self, email_messages):
        control = Path(os.environ["SAMEN_TEST_BLOCK_DIR"])
        address = os.environ["SAMEN_TEST_BLOCK_ADDRESS"]
        if (control / "block").exists() and any(address in message.to for message in email_messages):
            (control / "sending").write_text(str(os.getpid()))
            while True:  # the mail server never answers; the test kills this process
                time.sleep(1)
        return super().send_messages(email_messages)
