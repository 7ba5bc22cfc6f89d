"""Coroutines run to the end on a thread of their own: in a whole run, Playwright's sync API (the browser tests'
session) keeps an event loop running on the main thread, where ``asyncio.run`` refuses to start another."""

import asyncio
from concurrent.futures import ThreadPoolExecutor


def run_apart(coroutine):
    with ThreadPoolExecutor(max_workers=1) as pool:
        return pool.submit(asyncio.run, coroutine).result()
