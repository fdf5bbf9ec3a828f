//! [`Cloud`]: the Microsoft Graph national clouds, their hosts and token scopes.

use std::fmt;
use std::str::FromStr;

use url::Url;

use super::error::{Error, Result};

/// A Microsoft Graph national cloud.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Default)]
#[non_exhaustive]
pub enum Cloud {
    /// `https://graph.microsoft.com`
    #[default]
    Global,
    /// US Government L4 (GCC High): `https://graph.microsoft.us`
    UsGov,
    /// US Government L5 (DoD): `https://dod-graph.microsoft.us`
    UsGovDod,
    /// Microsoft Azure operated by 21Vianet: `https://microsoftgraph.chinacloudapi.cn`
    China,
}

impl Cloud {
    /// All clouds.
    pub const ALL: [Cloud; 4] = [Cloud::Global, Cloud::UsGov, Cloud::UsGovDod, Cloud::China];

    /// The Graph host name.
    pub fn graph_host(self) -> &'static str {
        match self {
            Cloud::Global => "graph.microsoft.com",
            Cloud::UsGov => "graph.microsoft.us",
            Cloud::UsGovDod => "dod-graph.microsoft.us",
            Cloud::China => "microsoftgraph.chinacloudapi.cn",
        }
    }

    /// The beta endpoint, e.g. `https://graph.microsoft.com/beta`.
    pub fn base_url(self) -> Url {
        Url::parse(&format!("https://{}/beta", self.graph_host())).expect("static URL")
    }

    /// The token scope, e.g. `https://graph.microsoft.com/.default`.
    pub fn scope(self) -> String {
        format!("https://{}/.default", self.graph_host())
    }

    /// The canonical name (`global`, `usgov`, `usgovdod`, `china`).
    pub fn name(self) -> &'static str {
        match self {
            Cloud::Global => "global",
            Cloud::UsGov => "usgov",
            Cloud::UsGovDod => "usgovdod",
            Cloud::China => "china",
        }
    }

    /// The cloud whose Graph host `host` is; a fully qualified name's
    /// trailing dot (`graph.microsoft.us.`) names the same host.
    pub(crate) fn from_host(host: &str) -> Option<Cloud> {
        let host = host.strip_suffix('.').unwrap_or(host);
        Cloud::ALL
            .into_iter()
            .find(|c| c.graph_host().eq_ignore_ascii_case(host))
    }
}

impl fmt::Display for Cloud {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.name())
    }
}

impl FromStr for Cloud {
    type Err = Error;
    /// Case-insensitive; `-`, `_` and spaces are ignored. Accepts `global`,
    /// `public`, `AzurePublicCloud`, `usgov`, `gcchigh`, `l4`, `usgovdod`,
    /// `dod`, `l5`, `china`, `AzureChinaCloud`, `21vianet`, or a Graph host name.
    fn from_str(s: &str) -> Result<Self> {
        let n: String = s
            .chars()
            .filter(|c| !matches!(c, '-' | '_' | ' '))
            .collect::<String>()
            .to_ascii_lowercase();
        Ok(match n.as_str() {
            "global" | "public" | "azurepubliccloud" | "worldwide" | "commercial" => Cloud::Global,
            "usgov" | "usgovernment" | "gcchigh" | "l4" | "azureusgovernment" | "usgovl4" => {
                Cloud::UsGov
            }
            "usgovdod" | "dod" | "l5" | "usgovl5" => Cloud::UsGovDod,
            "china" | "azurechinacloud" | "21vianet" | "cn" => Cloud::China,
            _ => {
                return Cloud::from_host(s.trim())
                    .ok_or_else(|| Error::Config(format!("unknown cloud {s:?}")));
            }
        })
    }
}
