from datetime import UTC, date, datetime

import time_machine

from vmo.core import clock


@time_machine.travel(datetime(2026, 3, 1, 17, 30, tzinfo=UTC), tick=False)
def test_now_is_shanghai_time_and_today_follows_it():
    # 17:30 UTC is 01:30 the next day in Shanghai: the office's date, not the server's.
    assert clock.now().utcoffset().total_seconds() == 8 * 3600
    assert clock.today() == date(2026, 3, 2)
