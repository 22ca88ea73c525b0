def seed_self_assessments(write=print):
    pass
