"""The request of the network's pages and API calls, as the type checker sees it: core's SignedInRequest."""
from renkei.core.auth import SignedInRequest as SignedInRequest
