"""Event sources for tests that drive a run step by step."""

import threading

from ciokatana.core.runner import Source


class Steps(Source):
    """Emits one batch of events each time the test calls :meth:`step` (stops on cancel)."""

    def __init__(self, batches):
        self.batches = batches
        self.go = threading.Semaphore(0)

    def step(self):
        self.go.release()

    def run(self, emit, control):
        for batch in self.batches:
            while not self.go.acquire(timeout=0.05):
                if control.cancelled:
                    return
            for event in batch:
                emit(event)
