from branches.access import scope_for


def navigation(request):
    """What the navigation bar needs: the user's scope (roles, own branches)."""
    user = getattr(request, "user", None)
    if user is None or not user.is_authenticated:
        return {}
    return {"scope": scope_for(user)}
