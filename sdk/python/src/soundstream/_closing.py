"""`with` and `async with` for what holds resources: the end of the block calls `close()`.
Written once for the blocking client, the asyncio client and the progress bar."""

from __future__ import annotations

from typing_extensions import Self

__all__ = ["AsyncClosing", "Closing"]


class Closing:
    """`with thing:` closes `thing` at the end of the block, error or not."""

    def close(self) -> None:
        """Release what this holds; each subclass says what."""
        raise NotImplementedError

    def __enter__(self) -> Self:
        return self

    def __exit__(self, *exc_info: object) -> None:
        self.close()


class AsyncClosing:
    """`async with thing:` closes `thing` at the end of the block, error or not (the asyncio
    twin of `Closing`)."""

    async def close(self) -> None:
        """Release what this holds; each subclass says what."""
        raise NotImplementedError

    async def __aenter__(self) -> Self:
        return self

    async def __aexit__(self, *exc_info: object) -> None:
        await self.close()
