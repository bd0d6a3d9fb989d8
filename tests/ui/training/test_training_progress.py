from explorer.ui.training.progress import SpeedMeter, format_duration, progress_text


def test_speed_is_averaged_over_a_window():
    meter = SpeedMeter(window=2.0)
    for _ in range(10):
        meter.add(1000, 0.5)
    assert meter.rate == 2000
    meter.add(10, 0.5)  # one slow report barely moves a 2-second window
    assert meter.rate > 1400


def test_progress_text_says_epoch_step_speed_and_eta():
    text = progress_text(3, 40, 120, 1160, 1000.0, 32)
    assert text == "Epoch 3/40 · step 120/1,160 · 1,000 samples/s · ETA 0:33"
    assert progress_text(40, 40, 1160, 1160, 1000.0, 32, "done").endswith("done")
    assert format_duration(3725) == "1:02:05"
