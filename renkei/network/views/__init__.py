"""Pages of the care-team network, split by screen: patients, timeline, groups and the rest."""
