//! Applying one committed write to the read model: each [`Change`] touches the entities it
//! names and the counters and rankings that depend on them, in time proportional to what
//! changed (a deleted artist's listeners, a deleted user's links), never to the dataset.

use soundstream_core::change::{AssignmentKey, Change};

use crate::model::{Slot, State};

/// A change that does not fit the read model: it names an entity the model does not hold
/// (the model and the log disagree, e.g. after a write bypassed the log). The model must be
/// rebuilt from the database.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("the change names {what} {id}, which the read model does not hold")]
pub struct Diverged {
    /// `artist`, `user` or `tag`.
    pub what: &'static str,
    /// Its id.
    pub id: i64,
}

fn missing(what: &'static str, id: i64) -> Diverged {
    Diverged { what, id }
}

impl State {
    fn artist_slot(&self, id: i64) -> Result<Slot, Diverged> {
        self.artists.slot(id).ok_or(missing("artist", id))
    }

    fn user_slot(&self, id: i64) -> Result<Slot, Diverged> {
        self.users.slot(id).ok_or(missing("user", id))
    }

    fn tag_slot(&self, id: i64) -> Result<Slot, Diverged> {
        self.tags.slot(id).ok_or(missing("tag", id))
    }

    fn uncount(&mut self, assignments: &[AssignmentKey]) -> Result<(), Diverged> {
        for a in assignments {
            self.assignment(a, -1)?;
        }
        Ok(())
    }

    fn assignment(&mut self, a: &AssignmentKey, delta: i64) -> Result<(), Diverged> {
        let (user, artist, tag) = (
            self.user_slot(a.user_id)?,
            self.artist_slot(a.artist_id)?,
            self.tag_slot(a.tag_id)?,
        );
        self.count_assignment(user, artist, tag, (a.year, a.month, a.day), delta);
        Ok(())
    }

    /// Applies one change.
    pub(crate) fn apply(&mut self, change: &Change) -> Result<(), Diverged> {
        match change {
            Change::ArtistPut { artist } => {
                let (url, picture) = (artist.url.as_deref(), artist.picture_url.as_deref());
                match self.artists.slot(artist.id) {
                    Some(slot) => self.update_artist(slot, &artist.name, url, picture),
                    None => self.add_artist(artist.id, &artist.name, url, picture),
                }
            }
            Change::ArtistDeleted { id, assignments } => {
                let slot = self.artist_slot(*id)?;
                self.uncount(assignments)?;
                let listeners: Vec<Slot> = self
                    .artists
                    .get(slot)
                    .listeners
                    .iter()
                    .map(|e| e.1)
                    .collect();
                for user in listeners {
                    self.set_listen(user, slot, None);
                }
                let (_, artist) = self.artists.remove(*id).ok_or(missing("artist", *id))?;
                self.rank.artist_ids.remove(*id);
                self.rank.artist_names.remove(&artist.folded, *id);
                self.rank.artist_listeners.remove(&0, *id);
                self.rank.artist_plays.remove(&0, *id);
                self.artist_names.remove(*id);
            }
            Change::UserCreated { id } => {
                if self.users.slot(*id).is_none() {
                    self.add_user(*id);
                }
            }
            Change::UserDeleted { id, assignments } => {
                let slot = self.user_slot(*id)?;
                self.uncount(assignments)?;
                let artists: Vec<Slot> = self.users.get(slot).artists.iter().map(|e| e.0).collect();
                for artist in artists {
                    self.set_listen(slot, artist, None);
                }
                let links: Vec<Slot> = self.users.get(slot).links.iter().map(|e| e.0).collect();
                for other in links {
                    self.set_friend_row(slot, other, false);
                    self.set_friend_row(other, slot, false);
                }
                self.users.remove(*id).ok_or(missing("user", *id))?;
                self.rank.user_ids.remove(*id);
                self.rank.user_plays.remove(&0, *id);
                self.rank.user_artists.remove(&0, *id);
                self.rank.user_friends.remove(&0, *id);
                self.rank.user_links.remove(&0, *id);
                self.rank.user_tags.remove(&0, *id);
            }
            Change::TagPut { tag } => match self.tags.slot(tag.id) {
                Some(slot) => self.rename_tag(slot, &tag.value),
                None => self.add_tag(tag.id, &tag.value),
            },
            Change::TagDeleted { id, assignments } => {
                self.tag_slot(*id)?;
                self.uncount(assignments)?;
                let (_, tag) = self.tags.remove(*id).ok_or(missing("tag", *id))?;
                if self.tag_by_folded.get(&tag.folded) == Some(id) {
                    self.tag_by_folded.remove(&tag.folded);
                }
                self.rank.tag_ids.remove(*id);
                self.rank.tag_values.remove(&tag.folded, *id);
                self.rank.tag_usage.remove(&tag.usage, *id);
                self.tag_values.remove(*id);
            }
            Change::ListenPut { listen } => {
                let user = self.user_slot(listen.user_id)?;
                let artist = self.artist_slot(listen.artist_id)?;
                let weight = u32::try_from(listen.weight).unwrap_or(u32::MAX);
                self.set_listen(user, artist, Some(weight));
            }
            Change::ListenDeleted { user_id, artist_id } => {
                let user = self.user_slot(*user_id)?;
                let artist = self.artist_slot(*artist_id)?;
                self.set_listen(user, artist, None);
            }
            Change::TagAssigned { assignment } => self.assignment(assignment, 1)?,
            Change::TagUnassigned { assignment } => self.assignment(assignment, -1)?,
            Change::FriendshipsAdded { rows } | Change::FriendshipsRemoved { rows } => {
                let present = matches!(change, Change::FriendshipsAdded { .. });
                for row in rows {
                    let user = self.user_slot(row.user_id)?;
                    let friend = self.user_slot(row.friend_id)?;
                    self.set_friend_row(user, friend, present);
                }
            }
        }
        Ok(())
    }
}
