"""Steps shared by the snapshot tests: let the app settle, then press keys."""

from __future__ import annotations


async def settled(pilot) -> None:
    pilot.app.sub_title = "demo.db"
    await pilot.pause()
    await pilot.app.workers.wait_for_complete()
    await pilot.pause()


def press_and_settle(*keys: str):
    async def run_before(pilot) -> None:
        await settled(pilot)
        for key in keys:
            await pilot.press(key)
            await settled(pilot)

    return run_before
