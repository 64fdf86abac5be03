"""The outlet classes by id: URL shapes as config/outlets.toml's patterns expect them."""
from __future__ import annotations

from .citadel_site import CitadelSite
from .rafid_site import RafidSite
from .site import Site
from .wahat_site import WahatSite
from .wordpress import AlqaedSite, MaseerSite

SITES: dict[str, type[Site]] = {"centcomcitadel": CitadelSite, "maseer": MaseerSite,
                                "alqaed": AlqaedSite, "rafid": RafidSite, "wahat": WahatSite}
