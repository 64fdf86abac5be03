"""The outlet classes by id: URL shapes as config/outlets.toml's patterns expect them."""
from __future__ import annotations

from .citadel_site import CitadelSite
from .site import Site
from .wordpress import AlqaedSite, MaseerSite

SITES: dict[str, type[Site]] = {"centcomcitadel": CitadelSite, "maseer": MaseerSite,
                                "alqaed": AlqaedSite}
