//! DataLoaders for nested fields, so a list of N items costs one query per field, not N.
//! They batch but do not cache: one set serves every request without serving stale rows.
use async_graphql::dataloader::{DataLoader, Loader};
use pressnet_domain::entities::{
    account, article, journalist, outlet, outlet_feed, press_conference, release, spokesperson,
    unit,
};
use pressnet_domain::error::{AppError, Failure as AppFailure};
use pressnet_domain::services::conditions::active_spokesperson_condition;
use pressnet_domain::services::deliveries::{download_counts, stats_for, Stats};
use sea_orm::{ColumnTrait, DatabaseConnection, EntityTrait, QueryFilter, QueryOrder};
use std::collections::HashMap;
use std::sync::Arc;
use uuid::Uuid;

/// A loader failure, shared by every field waiting on the batch (so its cause is shared too).
#[derive(Clone, Debug, thiserror::Error)]
#[error("loading a batch")]
pub struct LoadError(#[source] pub Arc<AppFailure>);

impl From<sea_orm::DbErr> for LoadError {
    fn from(e: sea_orm::DbErr) -> Self {
        LoadError(Arc::new(AppFailure(AppError::from(e))))
    }
}

impl From<AppError> for LoadError {
    fn from(e: AppError) -> Self {
        LoadError(Arc::new(AppFailure(e)))
    }
}

impl From<LoadError> for AppError {
    fn from(e: LoadError) -> Self {
        AppError::caused("loader", e)
    }
}

/// A loader of rows by primary key.
macro_rules! by_id_loader {
    ($name:ident, $module:ident) => {
        pub struct $name(pub DatabaseConnection);

        impl Loader<Uuid> for $name {
            type Value = $module::Model;
            type Error = LoadError;

            async fn load(&self, keys: &[Uuid]) -> Result<HashMap<Uuid, Self::Value>, Self::Error> {
                let rows = $module::Entity::find()
                    .filter($module::Column::Id.is_in(keys.iter().copied()))
                    .all(&self.0)
                    .await?;
                Ok(rows.into_iter().map(|r| (r.id, r)).collect())
            }
        }
    };
}

by_id_loader!(UnitById, unit);
by_id_loader!(OutletById, outlet);
by_id_loader!(JournalistById, journalist);
by_id_loader!(SpokespersonById, spokesperson);
by_id_loader!(ReleaseById, release);
by_id_loader!(ArticleById, article);
by_id_loader!(AccountById, account);

pub struct PressConferenceByRelease(pub DatabaseConnection);

impl Loader<Uuid> for PressConferenceByRelease {
    type Value = press_conference::Model;
    type Error = LoadError;

    async fn load(&self, keys: &[Uuid]) -> Result<HashMap<Uuid, Self::Value>, Self::Error> {
        let rows = press_conference::Entity::find()
            .filter(press_conference::Column::ReleaseId.is_in(keys.iter().copied()))
            .all(&self.0)
            .await?;
        Ok(rows.into_iter().map(|r| (r.release_id, r)).collect())
    }
}

/// Delivery stats of many releases in one grouped query.
pub struct StatsByRelease(pub DatabaseConnection);

impl Loader<Uuid> for StatsByRelease {
    type Value = Stats;
    type Error = LoadError;

    async fn load(&self, keys: &[Uuid]) -> Result<HashMap<Uuid, Self::Value>, Self::Error> {
        stats_for(&self.0, keys, None)
            .await
            .map_err(LoadError::from)
    }
}

/// Download figures of releases, whole (`None`) or one outlet's part, keyed by (release,
/// outlet): one grouped query per outlet scope in the batch.
pub struct DownloadsByRelease(pub DatabaseConnection);

impl Loader<(Uuid, Option<Uuid>)> for DownloadsByRelease {
    type Value = (i64, i64);
    type Error = LoadError;

    async fn load(
        &self,
        keys: &[(Uuid, Option<Uuid>)],
    ) -> Result<HashMap<(Uuid, Option<Uuid>), Self::Value>, Self::Error> {
        let mut by_scope: HashMap<Option<Uuid>, Vec<Uuid>> = HashMap::new();
        for (release, outlet) in keys {
            by_scope.entry(*outlet).or_default().push(*release);
        }
        let mut out = HashMap::new();
        for (outlet, releases) in by_scope {
            let counts = download_counts(&self.0, &releases, outlet)
                .await
                .map_err(LoadError::from)?;
            out.extend(counts.into_iter().map(|(r, v)| ((r, outlet), v)));
        }
        Ok(out)
    }
}

/// A unit's spokespersons whose term is active now, primary first.
pub struct ActiveSpokespersonsByUnit(pub DatabaseConnection, pub pressnet_domain::clock::Clock);

impl Loader<Uuid> for ActiveSpokespersonsByUnit {
    type Value = Vec<spokesperson::Model>;
    type Error = LoadError;

    async fn load(&self, keys: &[Uuid]) -> Result<HashMap<Uuid, Self::Value>, Self::Error> {
        let rows = spokesperson::Entity::find()
            .filter(spokesperson::Column::UnitId.is_in(keys.iter().copied()))
            .filter(active_spokesperson_condition(self.1.now()))
            .order_by_desc(spokesperson::Column::IsPrimary)
            .order_by_asc(spokesperson::Column::FullName)
            .all(&self.0)
            .await?;
        let mut map: HashMap<Uuid, Self::Value> = keys.iter().map(|k| (*k, Vec::new())).collect();
        for r in rows {
            map.entry(r.unit_id).or_default().push(r);
        }
        Ok(map)
    }
}

pub struct JournalistsByOutlet(pub DatabaseConnection);

impl Loader<Uuid> for JournalistsByOutlet {
    type Value = Vec<journalist::Model>;
    type Error = LoadError;

    async fn load(&self, keys: &[Uuid]) -> Result<HashMap<Uuid, Self::Value>, Self::Error> {
        let rows = journalist::Entity::find()
            .filter(journalist::Column::OutletId.is_in(keys.iter().copied()))
            .order_by_asc(journalist::Column::FullName)
            .all(&self.0)
            .await?;
        let mut map: HashMap<Uuid, Self::Value> = keys.iter().map(|k| (*k, Vec::new())).collect();
        for r in rows {
            map.entry(r.outlet_id).or_default().push(r);
        }
        Ok(map)
    }
}

/// A release's files, in order.
pub struct AttachmentsByRelease(DatabaseConnection);

impl Loader<Uuid> for AttachmentsByRelease {
    type Value = Vec<pressnet_domain::entities::attachment::Model>;
    type Error = LoadError;

    async fn load(&self, keys: &[Uuid]) -> Result<HashMap<Uuid, Self::Value>, Self::Error> {
        let rows = pressnet_domain::entities::attachment::Entity::find()
            .filter(
                pressnet_domain::entities::attachment::Column::ReleaseId
                    .is_in(keys.iter().copied()),
            )
            .order_by_asc(pressnet_domain::entities::attachment::Column::Position)
            .all(&self.0)
            .await?;
        let mut map: HashMap<Uuid, Self::Value> = keys.iter().map(|k| (*k, Vec::new())).collect();
        for r in rows {
            map.entry(r.release_id).or_default().push(r);
        }
        Ok(map)
    }
}

/// The corrections that supersede a release, newest first (usually none, at most a few).
pub struct CorrectionsOf(pub DatabaseConnection);

impl Loader<Uuid> for CorrectionsOf {
    type Value = Vec<release::Model>;
    type Error = LoadError;

    async fn load(&self, keys: &[Uuid]) -> Result<HashMap<Uuid, Self::Value>, Self::Error> {
        let rows = release::Entity::find()
            .filter(release::Column::SupersedesId.is_in(keys.iter().copied()))
            .order_by_desc(release::Column::CreatedAt)
            .all(&self.0)
            .await?;
        let mut map: HashMap<Uuid, Self::Value> = keys.iter().map(|k| (*k, Vec::new())).collect();
        for r in rows {
            if let Some(of) = r.supersedes_id {
                map.entry(of).or_default().push(r);
            }
        }
        Ok(map)
    }
}

/// A unit's successors (`true`) or predecessors through reorganizations, as unit ids.
pub struct LineageOf(pub DatabaseConnection, pub bool);

impl Loader<Uuid> for LineageOf {
    type Value = Vec<Uuid>;
    type Error = LoadError;

    async fn load(&self, keys: &[Uuid]) -> Result<HashMap<Uuid, Self::Value>, Self::Error> {
        Ok(pressnet_domain::services::reorganizations::lineage(&self.0, keys, self.1).await?)
    }
}

/// An outlet's feed URLs, in the order they were set.
pub struct FeedUrlsByOutlet(pub DatabaseConnection);

impl Loader<Uuid> for FeedUrlsByOutlet {
    type Value = Vec<String>;
    type Error = LoadError;

    async fn load(&self, keys: &[Uuid]) -> Result<HashMap<Uuid, Self::Value>, Self::Error> {
        let rows = outlet_feed::Entity::find()
            .filter(outlet_feed::Column::OutletId.is_in(keys.iter().copied()))
            .order_by_asc(outlet_feed::Column::CreatedAt)
            .order_by_asc(outlet_feed::Column::Url)
            .all(&self.0)
            .await?;
        let mut map: HashMap<Uuid, Self::Value> = keys.iter().map(|k| (*k, Vec::new())).collect();
        for r in rows {
            map.entry(r.outlet_id).or_default().push(r.url);
        }
        Ok(map)
    }
}

pub struct Loaders {
    pub unit: DataLoader<UnitById>,
    pub outlet: DataLoader<OutletById>,
    pub journalist: DataLoader<JournalistById>,
    pub spokesperson: DataLoader<SpokespersonById>,
    pub unit_spokespersons: DataLoader<ActiveSpokespersonsByUnit>,
    pub outlet_journalists: DataLoader<JournalistsByOutlet>,
    pub release: DataLoader<ReleaseById>,
    pub press_conference: DataLoader<PressConferenceByRelease>,
    pub stats: DataLoader<StatsByRelease>,
    pub downloads: DataLoader<DownloadsByRelease>,
    pub attachments: DataLoader<AttachmentsByRelease>,
    pub article: DataLoader<ArticleById>,
    pub feed_urls: DataLoader<FeedUrlsByOutlet>,
    pub account: DataLoader<AccountById>,
    pub corrections: DataLoader<CorrectionsOf>,
    pub successors: DataLoader<LineageOf>,
    pub predecessors: DataLoader<LineageOf>,
}

impl Loaders {
    pub fn new(db: &DatabaseConnection, clock: &pressnet_domain::clock::Clock) -> Self {
        let d = || db.clone();
        Self {
            unit: DataLoader::new(UnitById(d()), tokio::spawn),
            outlet: DataLoader::new(OutletById(d()), tokio::spawn),
            journalist: DataLoader::new(JournalistById(d()), tokio::spawn),
            spokesperson: DataLoader::new(SpokespersonById(d()), tokio::spawn),
            unit_spokespersons: DataLoader::new(
                ActiveSpokespersonsByUnit(d(), clock.clone()),
                tokio::spawn,
            ),
            outlet_journalists: DataLoader::new(JournalistsByOutlet(d()), tokio::spawn),
            release: DataLoader::new(ReleaseById(d()), tokio::spawn),
            press_conference: DataLoader::new(PressConferenceByRelease(d()), tokio::spawn),
            stats: DataLoader::new(StatsByRelease(d()), tokio::spawn),
            downloads: DataLoader::new(DownloadsByRelease(d()), tokio::spawn),
            attachments: DataLoader::new(AttachmentsByRelease(d()), tokio::spawn),
            article: DataLoader::new(ArticleById(d()), tokio::spawn),
            feed_urls: DataLoader::new(FeedUrlsByOutlet(d()), tokio::spawn),
            account: DataLoader::new(AccountById(d()), tokio::spawn),
            corrections: DataLoader::new(CorrectionsOf(d()), tokio::spawn),
            successors: DataLoader::new(LineageOf(d(), true), tokio::spawn),
            predecessors: DataLoader::new(LineageOf(d(), false), tokio::spawn),
        }
    }
}
