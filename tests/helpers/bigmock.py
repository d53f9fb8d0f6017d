"""Write large synthetic mock files without holding them in memory."""

from ciokatana.core import events as ev
from ciokatana.core.mock import MockRecorder


def write_big_mock(path, count, files=20, jobs=1):
    """A mock of exactly ``count`` events: start, jobs with progress events
    whose file maps hold ``files`` entries, responses, done."""
    recorder = MockRecorder(str(path))
    recorder.write(ev.start(jobs))
    budget = count - 2 - 2 * jobs
    written = 1
    for job in range(jobs):
        title = "job{}".format(job + 1)
        fp = {
            "/show/tex/job{}/file{:05d}.tx".format(job, i): {
                "bytes_to_upload": 100,
                "bytes_uploaded": 50,
                "already_uploaded": False,
                "md5": "bWQ1bWQ1bWQ1bWQ1bWQ1bQ==",
                "md5_was_cached": False,
            }
            for i in range(files)
        }
        template = dict(
            files_to_analyze=files, files_to_upload=files, bytes_to_upload=1.0, bytes_uploaded=1.0,
            transfer_rate=1.0, percent_complete=50.0, elapsed_time=1.0, time_remaining=1.0,
            processed_md5s=files, md5_percent=100.0, job_index=job, job_title=title, file_progress=fp,
        )
        recorder.write(ev.job_start(job, title))
        share = budget // jobs + (1 if job < budget % jobs else 0)
        for _ in range(share):
            recorder.write(ev.Event(ev.PROGRESS, template))
        recorder.write(ev.response({"jobid": "{:05d}".format(job + 1), "status": "success"}, 201, title))
        written += 2 + share
    recorder.write(ev.done())
    recorder.close()
    return written + 1
