"""The one error type the readers raise for an input that cannot be used."""


class InputError(Exception):
    """Input ``name`` was rejected; ``reason`` says why in words a user can act on."""

    def __init__(self, name: str, reason: str) -> None:
        super().__init__(f"{name}: {reason}")
        self.name = name
        self.reason = reason

    def __reduce__(self):
        # pickled with its two fields (a Ray run returns its errors from a worker process)
        return type(self), (self.name, self.reason)
