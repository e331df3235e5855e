"""Keep each facility's directory profile (search key, 町丁目) in step with the facility."""
from django.db.models.signals import post_save
from django.dispatch import receiver

from renkei.core.models import Facility


@receiver(post_save, sender=Facility, dispatch_uid="directory_sync_profile")
def facility_saved(sender, instance, raw=False, **kwargs):
    if raw:
        return
    from .services import sync_profile

    sync_profile(instance)
