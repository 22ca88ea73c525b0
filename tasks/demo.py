def seed_notice(write=print) -> None:
    pass
