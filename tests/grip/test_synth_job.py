"""The job behind `grip berichten synthetisch`: writes the messages and summarises them in Dutch."""

from grip.jobs.synth import run_synth, summary_lines


def test_run_synth_writes_messages_and_a_dutch_summary(tmp_path):
    """A tiny run writes files and samenvatting.json; the summary lines are Dutch and consistent."""
    summary = run_synth(tmp_path, seed=3, scale=0.005, years=1, retours=False)
    assert (tmp_path / "samenvatting.json").exists()
    assert not any(tmp_path.rglob("*302_*.xml"))
    assert summary.files == sum(1 for _ in tmp_path.rglob("*.xml"))
    text = "\n".join(summary_lines(summary))
    assert "Gemeente Voorbeeld" in text and "CBS-code 9999" in text
    assert "schaal 0,005" in text
    assert f"Declaratieregels: {summary.claim_lines} " in text  # below 1.000: no separator
    assert "Gedeclareerd netto: €" in text
