from django.shortcuts import render


def floor(request):
    """The least a page can cost here: the full middleware stack, a session lookup, one tiny
    template and no query of its own. Every page's throughput is reported as a ratio of this."""
    return render(request, "bench/floor.html", {"title": "Koda"})
