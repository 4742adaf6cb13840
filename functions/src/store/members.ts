// members/{uid} and invites/{hash of creator and email}: the people of a creator.
//
// A person (a Firebase Auth user) belongs to at most one creator, so authenticating an ID token is
// one read of members/{uid}. An owner invites a teammate by email; the invitation becomes a
// membership the first time a person with that (verified) email is seen, in one transaction, so
// an invitation is used once and never makes a second membership.
import { keyPrefixFor } from '../domain/creator.js';
import { compoundId } from '../domain/crypto.js';
import { conflict, notAllowed, notFound } from '../domain/errors.js';
import type { Role } from '../domain/scope.js';
import { COLLECTIONS } from './collections.js';
import type { Creator } from './creators.js';
import { converter, db, transaction } from './firestore.js';

export interface MemberRecord {
  uid: string;
  creatorId: string;
  email: string;
  role: Role;
  joinedAt: Date;
}

export interface InviteRecord {
  creatorId: string;
  email: string;
  role: Role;
  invitedBy: string;
  createdAt: Date;
}

const members = async () => (await db()).collection(COLLECTIONS.members).withConverter(converter<MemberRecord>());
const invites = async () => (await db()).collection(COLLECTIONS.invites).withConverter(converter<InviteRecord>());
const creators = async () => (await db()).collection(COLLECTIONS.creators).withConverter(converter<Creator>());
const inviteId = (creatorId: string, email: string) => compoundId(creatorId, email);

export async function getMember(uid: string): Promise<MemberRecord | undefined> {
  return (await (await members()).doc(uid).get()).data();
}

/**
 * The person's membership, accepting the oldest invitation to their email when they have none
 * yet and their email is verified (an unverified address proves nothing about who owns it).
 */
export async function membershipOf(user: { uid: string; email: string | undefined; emailVerified: boolean }, now: Date): Promise<MemberRecord | undefined> {
  const existing = await getMember(user.uid);
  if (existing || !user.email || !user.emailVerified) return existing;
  const email = user.email.toLowerCase();
  const [memberCol, inviteCol] = await Promise.all([members(), invites()]);
  const pending = await inviteCol.where('email', '==', email).get();
  // None left: a simultaneous first request of this person's may have just accepted it (the
  // member and the invitation's deletion commit together), so the membership is read again.
  if (pending.empty) return getMember(user.uid);
  return transaction(async (tx) => {
    const mine = (await tx.get(memberCol.doc(user.uid))).data();
    if (mine) return mine;
    const open = (await tx.get(inviteCol.where('email', '==', email))).docs
      .map((d) => ({ ref: d.ref, invite: d.data() }))
      .sort((a, b) => a.invite.createdAt.getTime() - b.invite.createdAt.getTime());
    const first = open[0];
    if (!first) return undefined;
    const member: MemberRecord = { uid: user.uid, creatorId: first.invite.creatorId, email, role: first.invite.role, joinedAt: now };
    tx.create(memberCol.doc(user.uid), member);
    tx.delete(first.ref);
    return member;
  });
}

/**
 * Signs a creator up: the creator under the id the person chose (its licence-key prefix fixed from
 * it now) and the person as its owner, in one transaction. A taken id, or a person who already
 * belongs to a creator, is 409.
 */
export async function createCreatorWithOwner(fields: { creatorId: string; name: string; uid: string; email: string; now: Date }): Promise<{ creator: Creator; member: MemberRecord }> {
  const [creatorCol, memberCol] = await Promise.all([creators(), members()]);
  return transaction(async (tx) => {
    const [taken, mine] = await Promise.all([tx.get(creatorCol.doc(fields.creatorId)), tx.get(memberCol.doc(fields.uid))]);
    const membership = mine.data();
    if (membership) throw conflict(`You already belong to the account ${membership.creatorId}`);
    if (taken.exists) throw conflict(`The account id ${fields.creatorId} is taken`);
    const creator: Creator = { creatorId: fields.creatorId, keyPrefix: keyPrefixFor(fields.creatorId), name: fields.name, ownerUid: fields.uid, createdAt: fields.now };
    const member: MemberRecord = { uid: fields.uid, creatorId: fields.creatorId, email: fields.email.toLowerCase(), role: 'owner', joinedAt: fields.now };
    tx.create(creatorCol.doc(fields.creatorId), creator);
    tx.create(memberCol.doc(fields.uid), member);
    return { creator, member };
  });
}

export async function listMembers(creatorId: string): Promise<MemberRecord[]> {
  const snap = await (await members()).where('creatorId', '==', creatorId).get();
  return snap.docs.map((d) => d.data()).sort((a, b) => a.joinedAt.getTime() - b.joinedAt.getTime());
}

export async function listInvites(creatorId: string): Promise<InviteRecord[]> {
  const snap = await (await invites()).where('creatorId', '==', creatorId).get();
  return snap.docs.map((d) => d.data()).sort((a, b) => a.createdAt.getTime() - b.createdAt.getTime());
}

/** Invites `email` as a member; inviting the same email again keeps the first invitation. */
export async function createInvite(fields: { creatorId: string; email: string; invitedBy: string; now: Date }): Promise<InviteRecord> {
  const email = fields.email.toLowerCase();
  const [memberCol, inviteCol] = await Promise.all([members(), invites()]);
  return transaction(async (tx) => {
    const already = await tx.get(memberCol.where('creatorId', '==', fields.creatorId).where('email', '==', email).limit(1));
    if (!already.empty) throw conflict(`${email} is already a member`);
    const ref = inviteCol.doc(inviteId(fields.creatorId, email));
    const existing = (await tx.get(ref)).data();
    if (existing) return existing;
    const invite: InviteRecord = { creatorId: fields.creatorId, email, role: 'member', invitedBy: fields.invitedBy, createdAt: fields.now };
    tx.create(ref, invite);
    return invite;
  });
}

/** Withdraws an invitation; 404 if there is none for that email. */
export async function deleteInvite(creatorId: string, email: string): Promise<void> {
  const ref = (await invites()).doc(inviteId(creatorId, email.toLowerCase()));
  await transaction(async (tx) => {
    if (!(await tx.get(ref)).exists) throw notFound('Invitation');
    tx.delete(ref);
  });
}

/** Removes a teammate (404 outside the creator); the owner cannot be removed. */
export async function removeMember(creatorId: string, uid: string): Promise<void> {
  const ref = (await members()).doc(uid);
  await transaction(async (tx) => {
    const member = (await tx.get(ref)).data();
    if (!member || member.creatorId !== creatorId) throw notFound('Member');
    if (member.role === 'owner') throw notAllowed('The owner cannot be removed');
    tx.delete(ref);
  });
}
