"""The local sandbox's environment (local/sandbox.py): offline always, quiet by default."""

from __future__ import annotations

from local.sandbox import offline_environment


def test_r12_the_sandbox_keeps_a_log_level_the_operator_set_and_is_quiet_otherwise():
    """R12, R39 (audit bank5): a long bank import tells its progress at INFO.
    Given an operator who runs the sandbox with POWERTOOLS_LOG_LEVEL=INFO (and real-looking
    AWS credentials in the shell)
    When the sandbox sets its environment
    Then the level stays INFO (before: always WARNING, the progress lines never showed),
    and the credentials are still the sandbox's own; without a level set (or an empty
    one) it is WARNING, as before."""
    told = offline_environment({"POWERTOOLS_LOG_LEVEL": "INFO", "AWS_ACCESS_KEY_ID": "AKIA..."})
    assert "POWERTOOLS_LOG_LEVEL" not in told
    assert told["AWS_ACCESS_KEY_ID"] == "local-sandbox"
    assert offline_environment({})["POWERTOOLS_LOG_LEVEL"] == "WARNING"
    assert offline_environment({"POWERTOOLS_LOG_LEVEL": ""})["POWERTOOLS_LOG_LEVEL"] == "WARNING"
