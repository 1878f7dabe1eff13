"""People of the web app: their role and place (which agency or region), API tokens, and the
login throttle.  ``access`` turns a person into the store's :class:`~..store.services.scope.Scope`."""
