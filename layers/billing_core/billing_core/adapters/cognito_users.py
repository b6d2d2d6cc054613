"""The practices' users in the Cognito user pool (R32).

A user's name is its e-mail address; ``custom:provider_id`` ties it to one practice for
good (the attribute is immutable); its role is the Cognito group of the same name, so
the token's ``cognito:groups`` claim carries it. Cognito sends the invitation e-mail with
a temporary password (again with ``MessageAction=RESEND``, while the user's status is
FORCE_CHANGE_PASSWORD); the pool requires MFA at the first sign-in (template.yaml).
``custom:session_epoch`` ends the user's portal sessions when it changes; the app client
neither reads nor writes it, so a user cannot set it back with their own token.

The pool signs users in by e-mail address (``UsernameAttributes: [email]``): the user
name Cognito keeps is the ``sub``, so the admin calls take either.
"""

from __future__ import annotations

from dataclasses import replace
from typing import Any

from botocore.exceptions import ClientError

from billing_core.ports import UserExists
from billing_core.providers.users import DirectoryUser, Role, highest_role, new_session_epoch

PROVIDER_ATTRIBUTE = "custom:provider_id"
SESSION_EPOCH_ATTRIBUTE = "custom:session_epoch"


class CognitoUserDirectory:
    def __init__(self, client: Any, user_pool_id: str) -> None:
        """client: a boto3 cognito-idp client."""
        self._client = client
        self._pool = user_pool_id

    def invite(self, provider_id: str, email: str, role: Role) -> DirectoryUser:
        try:
            answer = self._client.admin_create_user(
                UserPoolId=self._pool,
                Username=email,
                UserAttributes=[
                    {"Name": "email", "Value": email},
                    {"Name": "email_verified", "Value": "true"},
                    {"Name": PROVIDER_ATTRIBUTE, "Value": provider_id},
                ],
                DesiredDeliveryMediums=["EMAIL"],
            )
        except ClientError as error:
            if error.response["Error"]["Code"] == "UsernameExistsException":
                return self._finish_invitation(provider_id, email, role)
            raise
        self._client.admin_add_user_to_group(
            UserPoolId=self._pool, Username=email, GroupName=role.value
        )
        return DirectoryUser(
            email,
            provider_id,
            role,
            _attributes(answer["User"])["sub"],
            awaiting_first_sign_in=_awaiting_first_sign_in(answer["User"]),
            created_at=answer["User"].get("UserCreateDate"),
        )

    def _finish_invitation(self, provider_id: str, email: str, role: Role) -> DirectoryUser:
        """An invitation cut off between its two calls (the group call throttled, the
        Lambda timed out) left this practice's user in no role group: in no list, unable
        to sign in to anything, and refused as existing ever after (audit ONBOARD2-2).
        Sent again, it joins the group asked for. Every other existing user, of this
        practice in a role or of another, stays UserExists (one answer for both)."""
        try:
            found = self._client.admin_get_user(UserPoolId=self._pool, Username=email)
            groups = self._client.admin_list_groups_for_user(UserPoolId=self._pool, Username=email)[
                "Groups"
            ]
        except ClientError as error:
            if error.response["Error"]["Code"] == "UserNotFoundException":
                raise UserExists(email) from None
            raise
        attributes = _attributes(found, "UserAttributes")
        if groups or attributes.get(PROVIDER_ATTRIBUTE) != provider_id:
            raise UserExists(email)
        self._client.admin_add_user_to_group(
            UserPoolId=self._pool, Username=email, GroupName=role.value
        )
        return _directory_user(attributes, role, found)

    def resend_invitation(self, provider_id: str, email: str) -> DirectoryUser | None:
        """A new temporary password, valid for the pool's TemporaryPasswordValidityDays
        again. The answer's user is not read: moto answers a new one."""
        user = self._own_user(provider_id, email)
        if user is None:
            return None
        self._client.admin_create_user(
            UserPoolId=self._pool,
            Username=email,
            MessageAction="RESEND",
            DesiredDeliveryMediums=["EMAIL"],
        )
        return user

    def enable(self, provider_id: str, email: str) -> DirectoryUser | None:
        user = self._own_user(provider_id, email)
        if user is None:
            return None
        self._client.admin_enable_user(UserPoolId=self._pool, Username=email)
        return replace(user, enabled=True)

    def disable(self, provider_id: str, email: str) -> DirectoryUser | None:
        """Only a user of this provider: a practice admin cannot reach another's users."""
        user = self._own_user(provider_id, email)
        if user is None:
            return None
        self._client.admin_disable_user(UserPoolId=self._pool, Username=email)
        epoch = self._new_session_epoch(email)
        return replace(user, enabled=False, session_epoch=epoch)

    def change_role(self, provider_id: str, email: str, role: Role) -> DirectoryUser | None:
        """Into the new group first: a failure between the calls leaves the user with both
        roles for a moment (the higher counts), never with none. Out of every other role
        group the user is in, not only the one that counts: a change sent again after such
        a failure finishes it (audit ONBOARD2-1: a retried demotion kept the admin group)."""
        entries = [u for u in self._users_in_groups(provider_id) if u.email == email]
        if not entries:
            return None
        if all(entry.role is not role for entry in entries):
            self._client.admin_add_user_to_group(
                UserPoolId=self._pool, Username=email, GroupName=role.value
            )
        for entry in entries:
            if entry.role is not role:
                self._client.admin_remove_user_from_group(
                    UserPoolId=self._pool, Username=email, GroupName=entry.role.value
                )
        return replace(entries[0], role=role)

    def user_by_id(self, user_id: str) -> DirectoryUser | None:
        """Two reads (AdminGetUser, AdminListGroupsForUser): the portal's price per request
        for a disabled or demoted user being refused at once."""
        try:
            found = self._client.admin_get_user(UserPoolId=self._pool, Username=user_id)
            groups = self._client.admin_list_groups_for_user(
                UserPoolId=self._pool, Username=user_id
            )["Groups"]
        except ClientError as error:
            if error.response["Error"]["Code"] == "UserNotFoundException":
                return None
            raise
        attributes = _attributes(found, "UserAttributes")
        role = highest_role(group["GroupName"] for group in groups)
        if role is None or not attributes.get(PROVIDER_ATTRIBUTE):
            return None
        return _directory_user(attributes, role, found)

    def end_sessions(self, user_id: str) -> None:
        try:
            self._new_session_epoch(user_id)
        except ClientError as error:
            if error.response["Error"]["Code"] != "UserNotFoundException":
                raise

    def _new_session_epoch(self, username: str) -> str:
        epoch = new_session_epoch()
        self._client.admin_update_user_attributes(
            UserPoolId=self._pool,
            Username=username,
            UserAttributes=[{"Name": SESSION_EPOCH_ATTRIBUTE, "Value": epoch}],
        )
        return epoch

    def _own_user(self, provider_id: str, email: str) -> DirectoryUser | None:
        return next((u for u in self.users_of(provider_id) if u.email == email), None)

    def users_of(self, provider_id: str) -> list[DirectoryUser]:
        """Each user once, in the role that counts: the highest of their groups, as the
        token and the portal read it (highest_role), should a role change cut off between
        its calls have left them in two."""
        counting: dict[str, DirectoryUser] = {}
        for user in self._users_in_groups(provider_id):
            kept = counting.get(user.email)
            if kept is None or user.role.may_act_as(kept.role):
                counting[user.email] = user
        return sorted(counting.values(), key=lambda user: user.email)

    def _users_in_groups(self, provider_id: str) -> list[DirectoryUser]:
        """Cognito cannot filter on a custom attribute: the members of each role group,
        kept when they belong to this provider; a user in two groups is here twice."""
        return [
            _directory_user(attributes, role, user)
            for role in Role
            for user in self._group_members(role)
            if (attributes := _attributes(user)).get(PROVIDER_ATTRIBUTE) == provider_id
        ]

    def _group_members(self, role: Role) -> list[dict[str, Any]]:
        pages = self._client.get_paginator("list_users_in_group").paginate(
            UserPoolId=self._pool, GroupName=role.value
        )
        return [user for page in pages for user in page["Users"]]


def _attributes(user: dict[str, Any], key: str = "Attributes") -> dict[str, str]:
    """ListUsersInGroup and AdminCreateUser answer ``Attributes``; AdminGetUser
    ``UserAttributes``."""
    return {a["Name"]: a["Value"] for a in user.get(key, [])}


def _awaiting_first_sign_in(user: dict[str, Any]) -> bool:
    return bool(user.get("UserStatus") == "FORCE_CHANGE_PASSWORD")


def _directory_user(attributes: dict[str, str], role: Role, user: dict[str, Any]) -> DirectoryUser:
    """``user``: the user as ListUsersInGroup or AdminGetUser answers it (each with its
    ``UserCreateDate``, a datetime as boto3 parses it)."""
    return DirectoryUser(
        attributes["email"],
        attributes[PROVIDER_ATTRIBUTE],
        role,
        attributes["sub"],
        enabled=bool(user.get("Enabled", True)),
        session_epoch=attributes.get(SESSION_EPOCH_ATTRIBUTE, ""),
        awaiting_first_sign_in=_awaiting_first_sign_in(user),
        created_at=user.get("UserCreateDate"),
    )
