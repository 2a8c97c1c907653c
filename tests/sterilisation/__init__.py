"""A fourth plugin, built in the tests with public hooks only: the register of sterilisation assistants.

It shows what a third party needs to add a profession the way the built-in
plugins do (see "Writing a plugin" in the README): its own table through its
own migration branch, a ``can_perform`` condition that fails closed, a panel on
a person's profile and on a device type's page, a page of its own with an entry
in the navigation. It imports from the core only the contract
(``core.contract``, ``core.plugins.hookimpl``) and the helpers every page uses.
"""
