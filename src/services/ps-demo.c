/* ps-demo.c
 *
 * Copyright 2026 The Postsale authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * The demo history a new user sees on first start, and what
 * `postsale-cli demo` writes for benchmarks. It has to look like a real
 * small shop (an outdoor apparel and gifts brand shipping from Columbus,
 * Ohio) and it has to contain the patterns the dashboard and the
 * automations are meant to find:
 *
 *  - UPS Ground's rate creeps up ~2 % a week, so its last-14-day
 *    average is clearly above the 90-day one (cost per label over time);
 *  - UPS shipments to the Pacific Northwest have about three times the
 *    base exception rate (exception rate by carrier × region);
 *  - a few recent labels were never scanned (late handoff);
 *  - returns cluster on sized apparel with "wrong size".
 *
 * About 15 % of orders go abroad (the share differs per channel); they are
 * priced in the destination's currency (CAD, GBP, EUR, AUD, JPY) at fixed
 * rates, US orders in USD, and labels are always bought in USD.
 *
 * Everything comes from one GRand seeded with the seed, and every time is
 * computed from `now`, so the same seed and now give the same rows (except
 * channels.created_at, which the order writer takes from the clock). The
 * exception rates use a per (carrier, region) accumulator instead of a coin
 * flip per shipment: the realised rate is then within a shipment or two of
 * the intended one even in small cells, which keeps the planted pattern
 * visible at a few thousand orders.
 *
 * The work per order is bounded: one plan struct is reused, strings are
 * formatted into fixed buffers, and the writer's cached statements do the
 * inserts. Business days here are UTC weekdays; the demo does not need the
 * merchant's time zone.
 */

#define G_LOG_DOMAIN "ps-demo"

#include "config.h"

#include <stdlib.h>
#include <string.h>

#include "ps-demo.h"
#include "ps-shipping-store.h"
#include "ps-enum-types.h"
#include "ps-enums.h"
#include "ps-order-search.h"
#include "ps-order-writer.h"
#include "ps-region.h"
#include "ps-time.h"
#include "ps-tracking-number.h"

#define DAY           PS_SECONDS_PER_DAY
#define HOUR          ((gint64) 3600)
#define MINUTE        ((gint64) 60)
#define HISTORY_DAYS  90
#define MAX_LINES     8
#define MAX_SHIPMENTS 2
#define MAX_STEPS     20
#define MAX_EVENTS    64
#define JSON_LEN      200
#define CHECK_EVERY   1000

#define ORIGIN_LOCATION "Columbus, OH"

/* Tuning knobs for the planted patterns and the overall mix. */
#define BASE_EXCEPTION_RATE    0.04
#define INTL_EXCEPTION_RATE    0.06
#define PLANTED_EXCEPTION_RATE 0.13   /* ups × us-pacific-northwest */
#define UPS_GROUND_DRIFT_WEEK  0.02   /* rate increase per week */
#define SPLIT_RATE_MULTI_LINE  0.11   /* ~5 % of all orders */
#define RETURN_RATE            0.045  /* of delivered orders */
#define LATE_HANDOFF_RATE      0.15   /* of labels 2–6 days old */

/* Data tables */

typedef struct
{
  const char *code;
  int         weight;    /* population in 100,000s (2020 census) */
  int         tax_bps;   /* state sales tax, basis points */
  int         tz;        /* UTC offset in hours, standard time */
} UsState;

static const UsState us_states[] = {
  { "AL", 50, 400, -6 }, { "AK", 7, 0, -9 }, { "AZ", 72, 560, -7 }, { "AR", 30, 650, -6 },
  { "CA", 395, 725, -8 }, { "CO", 58, 290, -7 }, { "CT", 36, 635, -5 }, { "DE", 10, 0, -5 },
  { "DC", 7, 600, -5 }, { "FL", 215, 600, -5 }, { "GA", 107, 400, -5 }, { "HI", 15, 400, -10 },
  /* The brand has a following in the Northwest: WA, OR and ID count double. */
  { "ID", 36, 600, -7 }, { "IL", 128, 625, -6 }, { "IN", 68, 700, -5 }, { "IA", 32, 600, -6 },
  { "KS", 29, 650, -6 }, { "KY", 45, 600, -5 }, { "LA", 47, 445, -6 }, { "ME", 14, 550, -5 },
  { "MD", 62, 600, -5 }, { "MA", 70, 625, -5 }, { "MI", 101, 600, -5 }, { "MN", 57, 688, -6 },
  { "MS", 30, 700, -6 }, { "MO", 62, 423, -6 }, { "MT", 11, 0, -7 }, { "NE", 20, 550, -6 },
  { "NV", 31, 685, -8 }, { "NH", 14, 0, -5 }, { "NJ", 93, 663, -5 }, { "NM", 21, 513, -7 },
  { "NY", 202, 400, -5 }, { "NC", 104, 475, -5 }, { "ND", 8, 500, -6 }, { "OH", 118, 575, -5 },
  { "OK", 40, 450, -6 }, { "OR", 84, 0, -8 }, { "PA", 130, 600, -5 }, { "RI", 11, 700, -5 },
  { "SC", 51, 600, -5 }, { "SD", 9, 450, -6 }, { "TN", 69, 700, -6 }, { "TX", 291, 625, -6 },
  { "UT", 33, 610, -7 }, { "VT", 6, 600, -5 }, { "VA", 86, 530, -5 }, { "WA", 154, 650, -8 },
  { "WV", 18, 600, -5 }, { "WI", 59, 500, -6 }, { "WY", 6, 400, -7 },
};

typedef struct
{
  const char *state;
  const char *city;
  int         zip_lo;
  int         zip_hi;
  int         area_code;
} UsCity;

/* Grouped by state, in the order of us_states. */
static const UsCity us_cities[] = {
  { "AL", "Birmingham", 35203, 35244, 205 }, { "AL", "Montgomery", 36104, 36117, 334 },
  { "AL", "Huntsville", 35801, 35816, 256 },
  { "AK", "Anchorage", 99501, 99518, 907 }, { "AK", "Fairbanks", 99701, 99709, 907 },
  { "AZ", "Phoenix", 85003, 85054, 602 }, { "AZ", "Tucson", 85701, 85750, 520 },
  { "AZ", "Mesa", 85201, 85215, 480 },
  { "AR", "Little Rock", 72201, 72227, 501 }, { "AR", "Fayetteville", 72701, 72704, 479 },
  { "CA", "Los Angeles", 90001, 90068, 213 }, { "CA", "San Francisco", 94102, 94134, 415 },
  { "CA", "San Diego", 92101, 92130, 619 }, { "CA", "Sacramento", 95811, 95838, 916 },
  { "CA", "San Jose", 95110, 95139, 408 }, { "CA", "Oakland", 94601, 94621, 510 },
  { "CO", "Denver", 80202, 80239, 303 }, { "CO", "Colorado Springs", 80903, 80920, 719 },
  { "CO", "Boulder", 80301, 80305, 303 },
  { "CT", "Hartford", 6103, 6120, 860 }, { "CT", "New Haven", 6510, 6519, 203 },
  { "DE", "Wilmington", 19801, 19810, 302 }, { "DE", "Dover", 19901, 19904, 302 },
  { "DC", "Washington", 20001, 20037, 202 },
  { "FL", "Miami", 33125, 33186, 305 }, { "FL", "Orlando", 32801, 32839, 407 },
  { "FL", "Tampa", 33602, 33629, 813 }, { "FL", "Jacksonville", 32202, 32257, 904 },
  { "GA", "Atlanta", 30303, 30342, 404 }, { "GA", "Savannah", 31401, 31419, 912 },
  { "GA", "Athens", 30601, 30606, 706 },
  { "HI", "Honolulu", 96813, 96826, 808 }, { "HI", "Hilo", 96720, 96720, 808 },
  { "ID", "Boise", 83702, 83716, 208 }, { "ID", "Idaho Falls", 83401, 83406, 208 },
  { "ID", "Coeur d'Alene", 83814, 83815, 208 },
  { "IL", "Chicago", 60601, 60660, 312 }, { "IL", "Springfield", 62701, 62712, 217 },
  { "IL", "Naperville", 60540, 60565, 630 },
  { "IN", "Indianapolis", 46201, 46260, 317 }, { "IN", "Fort Wayne", 46802, 46845, 260 },
  { "IA", "Des Moines", 50309, 50322, 515 }, { "IA", "Cedar Rapids", 52401, 52411, 319 },
  { "KS", "Wichita", 67202, 67235, 316 }, { "KS", "Overland Park", 66204, 66225, 913 },
  { "KY", "Louisville", 40202, 40245, 502 }, { "KY", "Lexington", 40502, 40517, 859 },
  { "LA", "New Orleans", 70112, 70131, 504 }, { "LA", "Baton Rouge", 70801, 70820, 225 },
  { "ME", "Portland", 4101, 4112, 207 }, { "ME", "Bangor", 4401, 4401, 207 },
  { "MD", "Baltimore", 21201, 21239, 410 }, { "MD", "Silver Spring", 20901, 20910, 301 },
  { "MA", "Boston", 2108, 2136, 617 }, { "MA", "Worcester", 1602, 1610, 508 },
  { "MA", "Cambridge", 2138, 2142, 617 },
  { "MI", "Detroit", 48201, 48235, 313 }, { "MI", "Grand Rapids", 49503, 49548, 616 },
  { "MI", "Ann Arbor", 48103, 48109, 734 },
  { "MN", "Minneapolis", 55401, 55419, 612 }, { "MN", "Saint Paul", 55101, 55119, 651 },
  { "MS", "Jackson", 39201, 39216, 601 }, { "MS", "Gulfport", 39501, 39507, 228 },
  { "MO", "Kansas City", 64105, 64138, 816 }, { "MO", "St. Louis", 63101, 63139, 314 },
  { "MT", "Billings", 59101, 59106, 406 }, { "MT", "Missoula", 59801, 59808, 406 },
  { "NE", "Omaha", 68102, 68154, 402 }, { "NE", "Lincoln", 68502, 68528, 402 },
  { "NV", "Las Vegas", 89101, 89149, 702 }, { "NV", "Reno", 89501, 89523, 775 },
  { "NH", "Manchester", 3101, 3109, 603 }, { "NH", "Concord", 3301, 3303, 603 },
  { "NJ", "Newark", 7102, 7114, 973 }, { "NJ", "Jersey City", 7302, 7311, 201 },
  { "NJ", "Princeton", 8540, 8544, 609 },
  { "NM", "Albuquerque", 87102, 87123, 505 }, { "NM", "Santa Fe", 87501, 87508, 505 },
  { "NY", "New York", 10001, 10040, 212 }, { "NY", "Brooklyn", 11201, 11238, 718 },
  { "NY", "Buffalo", 14201, 14226, 716 }, { "NY", "Rochester", 14604, 14626, 585 },
  { "NC", "Charlotte", 28202, 28277, 704 }, { "NC", "Raleigh", 27601, 27617, 919 },
  { "NC", "Asheville", 28801, 28806, 828 },
  { "ND", "Fargo", 58102, 58104, 701 }, { "ND", "Bismarck", 58501, 58504, 701 },
  { "OH", "Columbus", 43201, 43235, 614 }, { "OH", "Cleveland", 44102, 44135, 216 },
  { "OH", "Cincinnati", 45202, 45249, 513 },
  { "OK", "Oklahoma City", 73102, 73170, 405 }, { "OK", "Tulsa", 74103, 74137, 918 },
  { "OR", "Portland", 97201, 97239, 503 }, { "OR", "Eugene", 97401, 97405, 541 },
  { "OR", "Salem", 97301, 97317, 503 }, { "OR", "Bend", 97701, 97703, 541 },
  { "PA", "Philadelphia", 19102, 19154, 215 }, { "PA", "Pittsburgh", 15201, 15237, 412 },
  { "PA", "Harrisburg", 17101, 17113, 717 },
  { "RI", "Providence", 2903, 2909, 401 },
  { "SC", "Charleston", 29401, 29492, 843 }, { "SC", "Columbia", 29201, 29229, 803 },
  { "SD", "Sioux Falls", 57103, 57110, 605 }, { "SD", "Rapid City", 57701, 57703, 605 },
  { "TN", "Nashville", 37201, 37221, 615 }, { "TN", "Memphis", 38103, 38135, 901 },
  { "TN", "Knoxville", 37902, 37934, 865 },
  { "TX", "Houston", 77002, 77099, 713 }, { "TX", "Dallas", 75201, 75254, 214 },
  { "TX", "Austin", 78701, 78759, 512 }, { "TX", "San Antonio", 78201, 78259, 210 },
  { "UT", "Salt Lake City", 84101, 84124, 801 }, { "UT", "Provo", 84601, 84606, 801 },
  { "VT", "Burlington", 5401, 5408, 802 },
  { "VA", "Richmond", 23219, 23236, 804 }, { "VA", "Virginia Beach", 23451, 23464, 757 },
  { "VA", "Arlington", 22201, 22209, 703 },
  { "WA", "Seattle", 98101, 98199, 206 }, { "WA", "Spokane", 99201, 99224, 509 },
  { "WA", "Tacoma", 98402, 98422, 253 }, { "WA", "Bellingham", 98225, 98229, 360 },
  { "WV", "Charleston", 25301, 25314, 304 }, { "WV", "Morgantown", 26501, 26508, 304 },
  { "WI", "Milwaukee", 53202, 53233, 414 }, { "WI", "Madison", 53703, 53726, 608 },
  { "WY", "Cheyenne", 82001, 82009, 307 }, { "WY", "Casper", 82601, 82609, 307 },
};

static const char * const us_streets[] = {
  "Maple Ave", "Oak St", "Cedar Ln", "Pine St", "Elm St", "Washington Ave", "Lake Dr",
  "Hillside Rd", "Park Pl", "Main St", "2nd St", "Sunset Blvd", "River Rd", "Highland Ave",
  "Church St", "Mill Rd", "Walnut St", "Forest Ave", "Meadow Ln", "Lincoln Ave", "Spring St",
  "Ridge Rd", "Jefferson St", "Willow Way", "Franklin Ave", "Chestnut St", "Birch Ct",
  "College Ave", "Broadway", "Summit Ave",
};

typedef enum
{
  POST_DIGITS,  /* a number in [lo, hi], zero-padded to width */
  POST_CA,      /* prefix (FSA) + " " + digit letter digit */
  POST_GB,      /* prefix (outward code) + " " + digit letter letter */
  POST_NL,      /* number in [lo, hi] + " " + two letters */
  POST_JP,      /* prefix + "-" + number in [lo, hi] as 4 digits */
} PostShape;

typedef struct
{
  const char *code;
  const char *currency;
  int         per_usd_milli;  /* units of currency per 1000 USD */
  int         weight;         /* share of international orders */
  int         tz;
  int         zone;           /* international rate zone 1–3 */
  PostShape   shape;
  int         width;          /* digits for POST_DIGITS */
  gboolean    number_first;   /* "12 High Street" rather than "Hauptstraße 12" */
  const char *gateway;        /* where the parcel enters the country */
} Country;

static const Country countries[] = {
  { "CA", "CAD", 1360, 35, -5, 1, POST_CA, 0, TRUE, "Mississauga, ON, CA" },
  { "GB", "GBP", 790, 22, 0, 2, POST_GB, 0, TRUE, "East Midlands, GB" },
  { "DE", "EUR", 920, 12, 1, 2, POST_DIGITS, 5, FALSE, "Leipzig, DE" },
  { "AU", "AUD", 1520, 10, 10, 3, POST_DIGITS, 4, TRUE, "Sydney, NSW, AU" },
  { "FR", "EUR", 920, 8, 1, 2, POST_DIGITS, 5, TRUE, "Paris-Charles de Gaulle, FR" },
  { "JP", "JPY", 150000, 7, 9, 3, POST_JP, 0, TRUE, "Narita, JP" },
  { "NL", "EUR", 920, 6, 1, 2, POST_NL, 0, FALSE, "Amsterdam-Schiphol, NL" },
};

typedef struct
{
  const char *country;
  const char *city;
  const char *state;       /* province, state or prefecture; NULL where not used */
  const char *prefix;      /* postcode prefix for POST_CA, POST_GB, POST_JP */
  int         lo;
  int         hi;
  const char *streets[2];  /* for JP: district, ward */
} IntlCity;

static const IntlCity intl_cities[] = {
  { "CA", "Toronto", "ON", "M5V", 0, 0, { "Queen St W", "Spadina Ave" } },
  { "CA", "Vancouver", "BC", "V6B", 0, 0, { "Granville St", "Robson St" } },
  { "CA", "Montréal", "QC", "H2X", 0, 0, { "Boulevard Saint-Laurent", "Rue Sainte-Catherine O" } },
  { "CA", "Calgary", "AB", "T2P", 0, 0, { "17 Ave SW", "Stephen Ave" } },
  { "CA", "Ottawa", "ON", "K1P", 0, 0, { "Elgin St", "Bank St" } },
  { "CA", "Halifax", "NS", "B3H", 0, 0, { "Spring Garden Rd", "Barrington St" } },
  { "GB", "London", NULL, "SW1A", 0, 0, { "Whitehall", "Victoria Street" } },
  { "GB", "London", NULL, "EC1A", 0, 0, { "Aldersgate Street", "Long Lane" } },
  { "GB", "Manchester", NULL, "M1", 0, 0, { "Deansgate", "Oxford Road" } },
  { "GB", "Edinburgh", NULL, "EH1", 0, 0, { "Princes Street", "Leith Walk" } },
  { "GB", "Bristol", NULL, "BS1", 0, 0, { "Park Street", "Gloucester Road" } },
  { "GB", "Leeds", NULL, "LS1", 0, 0, { "Briggate", "The Headrow" } },
  { "DE", "Berlin", NULL, NULL, 10115, 14199, { "Kastanienallee", "Friedrichstraße" } },
  { "DE", "München", NULL, NULL, 80331, 81929, { "Leopoldstraße", "Sendlinger Straße" } },
  { "DE", "Hamburg", NULL, NULL, 20095, 22769, { "Eppendorfer Weg", "Mönckebergstraße" } },
  { "DE", "Köln", NULL, NULL, 50667, 51149, { "Ehrenstraße", "Venloer Straße" } },
  { "DE", "Frankfurt am Main", NULL, NULL, 60306, 60599,
    { "Berger Straße", "Schweizer Straße" } },
  { "AU", "Sydney", "NSW", NULL, 2000, 2234, { "George St", "Crown St" } },
  { "AU", "Melbourne", "VIC", NULL, 3000, 3207, { "Collins St", "Brunswick St" } },
  { "AU", "Brisbane", "QLD", NULL, 4000, 4179, { "Queen St", "Boundary St" } },
  { "AU", "Perth", "WA", NULL, 6000, 6199, { "Hay St", "Beaufort St" } },
  { "AU", "Adelaide", "SA", NULL, 5000, 5199, { "Rundle St", "King William St" } },
  { "FR", "Paris", NULL, NULL, 75001, 75020, { "rue de Rivoli", "rue Oberkampf" } },
  { "FR", "Lyon", NULL, NULL, 69001, 69009, { "rue de la République", "cours Gambetta" } },
  { "FR", "Marseille", NULL, NULL, 13001, 13016, { "rue Paradis", "La Canebière" } },
  { "FR", "Bordeaux", NULL, NULL, 33000, 33800,
    { "cours de l'Intendance", "rue Sainte-Catherine" } },
  { "JP", "Tokyo", "Tokyo", "150", 1, 47, { "Jingumae, Shibuya-ku", "Ebisu, Shibuya-ku" } },
  { "JP", "Tokyo", "Tokyo", "160", 1, 23,
    { "Nishi-Shinjuku, Shinjuku-ku", "Yotsuya, Shinjuku-ku" } },
  { "JP", "Osaka", "Osaka", "530", 1, 57, { "Umeda, Kita-ku", "Sonezaki, Kita-ku" } },
  { "JP", "Yokohama", "Kanagawa", "220", 11, 12,
    { "Minatomirai, Nishi-ku", "Takashima, Nishi-ku" } },
  { "NL", "Amsterdam", NULL, NULL, 1011, 1109, { "Keizersgracht", "Prinsengracht" } },
  { "NL", "Utrecht", NULL, NULL, 3511, 3585, { "Oudegracht", "Biltstraat" } },
  { "NL", "Rotterdam", NULL, NULL, 3011, 3089, { "Coolsingel", "Witte de Withstraat" } },
  { "NL", "Den Haag", NULL, NULL, 2491, 2599, { "Lange Voorhout", "Frederik Hendriklaan" } },
};

/* Letters used in Canadian LDUs (no D F I O Q U) and in British inward
 * codes (no C I K M O V). */
static const char ca_letters[] = "ABCEGHJKLMNPRSTVWXYZ";
static const char gb_letters[] = "ABDEFGHJLNPQRSTUWXYZ";
static const char nl_letters[] = "ABCEGHJKLMNPRTVWXZ";

typedef struct
{
  const char    *name;
  PsChannelKind  kind;
  int            weight;
  double         intl_share;
} Channel;

enum { CH_SHOPIFY, CH_WOOCOMMERCE, CH_ETSY, CH_AMAZON, CH_EBAY, N_CHANNELS };

static const Channel channels[N_CHANNELS] = {
  { "Shopify", PS_CHANNEL_KIND_SHOPIFY, 38, 0.16 },
  { "WooCommerce", PS_CHANNEL_KIND_WOOCOMMERCE, 12, 0.12 },
  { "Etsy", PS_CHANNEL_KIND_ETSY, 16, 0.25 },
  { "Amazon", PS_CHANNEL_KIND_AMAZON, 22, 0.08 },
  { "eBay", PS_CHANNEL_KIND_EBAY, 12, 0.14 },
};

typedef struct
{
  const char *sku;
  const char *name;
  int         price_cents;
  int         weight_g;
  gboolean    sized;
  int         popularity;
} Product;

static const Product products[] = {
  { "TEE-ORG-BLK", "Organic Cotton Tee - Black", 2800, 180, TRUE, 10 },
  { "TEE-ORG-WHT", "Organic Cotton Tee - White", 2800, 180, TRUE, 9 },
  { "TEE-ORG-SGE", "Organic Cotton Tee - Sage", 2800, 180, TRUE, 6 },
  { "TEE-MTN-NVY", "Mountain Line Tee - Navy", 3200, 190, TRUE, 7 },
  { "TEE-LS-HTR", "Long Sleeve Tee - Heather", 3600, 230, TRUE, 5 },
  { "HOOD-CLS-CHR", "Classic Hoodie - Charcoal", 6800, 620, TRUE, 8 },
  { "HOOD-CLS-FOR", "Classic Hoodie - Forest", 6800, 620, TRUE, 5 },
  { "CREW-FLC-OAT", "Fleece Crewneck - Oatmeal", 5800, 540, TRUE, 5 },
  { "JKT-WND-BLK", "Packable Windbreaker", 8900, 310, TRUE, 3 },
  { "JKT-RAIN-OLV", "Trail Rain Jacket - Olive", 12800, 480, TRUE, 2 },
  { "PANT-JOG-GRY", "Everyday Joggers - Grey", 5400, 420, TRUE, 4 },
  { "SHRT-HIK-KHK", "Hiking Shorts - Khaki", 4200, 260, TRUE, 3 },
  { "SOCK-MRN-3PK", "Merino Hiking Socks (3-pack)", 2400, 150, TRUE, 6 },
  { "GLV-FLC-BLK", "Fleece Gloves", 2200, 90, TRUE, 2 },
  { "SOCK-CRW-ASR", "Crew Socks - Assorted", 1400, 90, FALSE, 5 },
  { "BNE-KNT-RST", "Knit Beanie - Rust", 2600, 110, FALSE, 6 },
  { "BNE-KNT-CHR", "Knit Beanie - Charcoal", 2600, 110, FALSE, 5 },
  { "CAP-5P-NVY", "Five-Panel Cap - Navy", 3000, 120, FALSE, 5 },
  { "CAP-TRK-SND", "Trucker Cap - Sand", 2800, 130, FALSE, 4 },
  { "SCF-WOL-GRY", "Wool Scarf - Grey", 3800, 200, FALSE, 2 },
  { "TOTE-CNV-NAT", "Canvas Tote - Natural", 2200, 260, FALSE, 6 },
  { "PACK-DAY-20L", "Daypack 20 L", 7900, 720, FALSE, 3 },
  { "BAG-SLG-BLK", "Sling Bag - Black", 4400, 340, FALSE, 3 },
  { "POUCH-ZIP-SET", "Zip Pouch Set", 1800, 90, FALSE, 3 },
  { "BTL-STL-750", "Insulated Bottle 750 ml", 3400, 420, FALSE, 6 },
  { "MUG-CMP-ENM", "Enamel Camp Mug", 1800, 240, FALSE, 6 },
  { "MUG-CER-SPK", "Speckled Ceramic Mug", 2400, 420, FALSE, 4 },
  { "CNDL-CDR-8OZ", "Cedar & Smoke Candle 8 oz", 2600, 380, FALSE, 5 },
  { "CNDL-PIN-8OZ", "Pine Forest Candle 8 oz", 2600, 380, FALSE, 4 },
  { "NB-DOT-A5", "Dot Grid Notebook A5", 1600, 260, FALSE, 5 },
  { "PST-TRL-18X24", "Trail Map Poster 18x24", 2800, 300, FALSE, 3 },
  { "PIN-ENM-MTN", "Enamel Pin - Mountain", 1000, 20, FALSE, 5 },
  { "STK-PACK-10", "Sticker Pack (10)", 800, 30, FALSE, 7 },
  { "PATCH-EMB-SUN", "Embroidered Patch - Sun", 900, 20, FALSE, 3 },
  { "BLNK-WOL-THR", "Wool Throw Blanket", 14800, 1400, FALSE, 1 },
  { "LANT-LED-MINI", "Mini LED Lantern", 3200, 220, FALSE, 2 },
  { "UTNS-CMP-SET", "Camp Utensil Set", 2400, 180, FALSE, 2 },
  { "CASE-WAL-PHN", "Walnut Phone Case", 3600, 60, FALSE, 2 },
  { "HMCK-SGL-OLV", "Hammock - Single", 6400, 780, FALSE, 1 },
  { "PZL-MAP-1000", "Trail Map Puzzle (1000 pc)", 3200, 680, FALSE, 2 },
};

static const char * const sizes[] = { "XS", "S", "M", "L", "XL", "XXL" };
static const int size_weights[] = { 5, 18, 30, 27, 14, 6 };

/* 1 to 8 lines: mostly one or two, with a long tail. */
static const int line_count_weights[] = { 550, 250, 100, 50, 25, 13, 7, 5 };
static const int quantity_weights[] = { 850, 100, 30, 10, 5, 5 };

static const char * const first_names[] = {
  "Olivia", "Liam", "Emma", "Noah", "Ava", "Elijah", "Sophia", "James", "Isabella", "Lucas",
  "Mia", "Mateo", "Amelia", "Benjamin", "Harper", "Henry", "Evelyn", "Alexander", "Camila",
  "Daniel", "Priya", "Wei", "Aisha", "Diego", "Yuki", "Fatima", "Kai", "Chloe", "Omar",
  "Grace", "Samuel", "Zoe", "Ethan", "Lily", "Jack", "Nora", "Leo", "Hannah", "Owen", "Maya",
  "Ruby", "Finn", "Ines", "Jonas", "Sofia", "Hiro", "Clara", "Marco", "Elena", "Tomas",
};

static const char * const last_names[] = {
  "Smith", "Johnson", "Williams", "Brown", "Jones", "Garcia", "Miller", "Davis", "Rodriguez",
  "Martinez", "Hernandez", "Lopez", "Wilson", "Anderson", "Thomas", "Taylor", "Moore",
  "Jackson", "Martin", "Lee", "Nguyen", "Patel", "Kim", "Chen", "Walker", "Hall", "Young",
  "Allen", "King", "Wright", "Scott", "Green", "Baker", "Adams", "Nelson", "Carter", "Mitchell",
  "Roberts", "Turner", "Phillips", "Campbell", "Parker", "Evans", "Collins", "Murphy", "Cook",
  "Rogers", "Morgan", "Schmidt", "Tanaka",
};

/* RFC 2606 domains only: demo data must never mail a real person. */
static const char * const email_domains[] = {
  "example.com", "example.net", "example.org", "mail.example", "inbox.example",
};

static const char * const address_messages[] = {
  "ZIP code does not match the state",
  "Missing apartment or suite number",
  "Street not found in the city",
  "House number out of range for the street",
};

static const char * const hold_notes[] = {
  "Customer asked to hold until they confirm the size.",
  "Holding to combine with the customer's next order.",
  "Waiting for the customer to confirm the address.",
};

static const char * const order_notes[] = {
  "Gift wrap requested.",
  "Please double box: fragile mug.",
  "Customer asked for no invoice in the parcel.",
  "Repeat customer, add a sticker pack.",
  "Leave at the side door per customer.",
};

/* Carriers and services */

enum { CARRIER_USPS, CARRIER_UPS, CARRIER_FEDEX, CARRIER_DHL, N_CARRIERS };

static const char * const carrier_ids[N_CARRIERS] = { "usps", "ups", "fedex", "dhl" };

/* Each carrier's main sorting hub, the first stop after pickup. */
static const char * const carrier_hubs[N_CARRIERS] = {
  "Columbus, OH", "Louisville, KY", "Memphis, TN", "Cincinnati, OH",
};

typedef enum
{
  TIER_GROUND,
  TIER_TWO_DAY,
  TIER_OVERNIGHT,
  TIER_INTERNATIONAL,
} Tier;

enum
{
  SVC_USPS_GROUND_ADVANTAGE,
  SVC_USPS_PRIORITY,
  SVC_USPS_PRIORITY_EXPRESS,
  SVC_UPS_GROUND,
  SVC_UPS_2ND_DAY_AIR,
  SVC_UPS_NEXT_DAY_AIR,
  SVC_FEDEX_GROUND,
  SVC_FEDEX_EXPRESS_SAVER,
  SVC_FEDEX_2DAY,
  SVC_DHL_EXPRESS_WORLDWIDE,
  N_SERVICES
};

typedef struct
{
  int         carrier;
  const char *id;
  Tier        tier;
  int         base;       /* USD cents, zone 1 (2 domestic), 1 lb */
  int         per_zone;
  int         per_lb;
  int         transit;    /* business days; 0 = by zone */
} Service;

static const Service services[N_SERVICES] = {
  { CARRIER_USPS, "ground_advantage", TIER_GROUND, 520, 38, 95, 0 },
  { CARRIER_USPS, "priority", TIER_TWO_DAY, 890, 62, 150, 2 },
  { CARRIER_USPS, "priority_express", TIER_OVERNIGHT, 2950, 150, 300, 1 },
  { CARRIER_UPS, "ground", TIER_GROUND, 1050, 72, 80, 0 },
  { CARRIER_UPS, "2nd_day_air", TIER_TWO_DAY, 2100, 150, 250, 2 },
  { CARRIER_UPS, "next_day_air", TIER_OVERNIGHT, 4200, 300, 400, 1 },
  { CARRIER_FEDEX, "ground", TIER_GROUND, 1010, 68, 78, 0 },
  { CARRIER_FEDEX, "express_saver", TIER_TWO_DAY, 2300, 120, 220, 3 },
  { CARRIER_FEDEX, "2day", TIER_TWO_DAY, 2500, 140, 230, 2 },
  { CARRIER_DHL, "express_worldwide", TIER_INTERNATIONAL, 4200, 900, 650, 3 },
};

/* Service mix by parcel: light US, heavy US, international. */
static const int service_weights_light[N_SERVICES] = { 48, 10, 1, 18, 3, 1, 14, 3, 2, 0 };
static const int service_weights_heavy[N_SERVICES] = { 12, 14, 1, 34, 4, 1, 26, 4, 4, 0 };
static const int service_weights_intl[N_SERVICES] = { 0, 28, 0, 0, 0, 0, 0, 0, 0, 72 };

/* Ground transit in business days by zone (index 0 unused). */
static const int ground_transit[9] = { 1, 1, 1, 2, 3, 3, 4, 4, 5 };

typedef struct
{
  const char *region;
  int         zone;       /* from Columbus, OH */
  const char *hub;        /* regional sort center */
} RegionRoute;

static const RegionRoute region_routes[] = {
  { "us-midwest", 3, "Chicago, IL" },
  { "us-northeast", 4, "Secaucus, NJ" },
  { "us-southeast", 4, "Atlanta, GA" },
  { "us-southwest", 6, "Dallas, TX" },
  { "us-mountain", 7, "Denver, CO" },
  { "us-pacific-northwest", 8, "Portland, OR" },
  { "us-california", 8, "Ontario, CA" },
  { "us-noncontiguous", 8, "Oakland, CA" },
};

/* Exception reasons given that a shipment has one, domestic and abroad. */
typedef struct
{
  PsExceptionReason reason;
  int               us_weight;
  int               intl_weight;
} ReasonWeight;

static const ReasonWeight exception_weights[] = {
  { PS_EXCEPTION_REASON_ADDRESS_ISSUE, 22, 12 },
  { PS_EXCEPTION_REASON_FAILED_ATTEMPT, 28, 14 },
  { PS_EXCEPTION_REASON_DAMAGED, 12, 8 },
  { PS_EXCEPTION_REASON_LOST, 5, 5 },
  { PS_EXCEPTION_REASON_WEATHER, 10, 4 },
  { PS_EXCEPTION_REASON_DELAY, 14, 8 },
  { PS_EXCEPTION_REASON_REFUSED, 5, 2 },
  { PS_EXCEPTION_REASON_OTHER, 4, 2 },
  { PS_EXCEPTION_REASON_CUSTOMS_HOLD, 0, 45 },
};

typedef struct
{
  PsReturnReason reason;
  int            weight;
} ReturnWeight;

static const ReturnWeight return_weights[] = {
  { PS_RETURN_REASON_WRONG_SIZE, 50 },   /* only for orders with sized items */
  { PS_RETURN_REASON_CHANGED_MIND, 18 },
  { PS_RETURN_REASON_NOT_AS_DESCRIBED, 10 },
  { PS_RETURN_REASON_DAMAGED, 7 },
  { PS_RETURN_REASON_WRONG_ITEM, 6 },
  { PS_RETURN_REASON_ARRIVED_LATE, 5 },
  { PS_RETURN_REASON_OTHER, 4 },
};

/* Orders by hour of day (UTC): US evenings are 00–04 UTC. */
static const double hour_weights[24] = {
  7.0, 7.5, 7.0, 5.5, 4.0, 2.5, 1.5, 1.0, 0.8, 0.8, 1.0, 1.5,
  2.5, 3.5, 4.5, 5.0, 5.5, 6.0, 5.5, 5.0, 5.0, 5.5, 6.0, 6.5,
};

/* Monday to Sunday. */
static const double weekday_weights[7] = { 1.05, 1.0, 0.98, 1.0, 0.95, 0.8, 0.9 };

/* Plans: one order, worked out completely before anything is written */

typedef struct
{
  gint64             time;
  PsTrackingStatus   status;
  PsExceptionReason  reason;
  const char        *description;
  const char        *location;
} Step;

typedef struct
{
  int               service;
  guint             first_line;
  guint             n_lines;
  int               weight_g;
  int               length_mm;
  int               width_mm;
  int               height_mm;
  gint64            rate_cents;
  char              tracking[PS_TRACKING_NUMBER_MAX_LEN + 1];
  gint64            label_at;
  gint64            first_scan_at;
  gint64            estimated_at;
  gint64            delivered_at;
  gint64            next_track_at;
  PsTrackingStatus  status;
  PsExceptionReason reason;
  Step              steps[MAX_STEPS];
  guint             n_steps;
  gint64            id;
} ShipPlan;

typedef struct
{
  gint64      time;
  PsEventType type;
  int         shipment;  /* index into the plan, -1 for none */
  gboolean    is_return;
  const char *actor;
  char        data[JSON_LEN];
} PendingEvent;

typedef struct
{
  /* Identity and address */
  int            channel;
  char           order_number[32];
  char           customer_name[64];
  char           customer_email[96];
  char           customer_phone[32];
  char           ship_name[64];
  char           ship_company[64];
  char           ship_line1[96];
  char           ship_line2[32];
  const char    *city;
  const char    *state;
  char           postcode[16];
  const char    *country;
  char           dest_location[96];
  const Country *intl;       /* NULL for the US */
  int            tz;
  int            zone;
  int            region;     /* index into ps_region_list () */
  gboolean       noncontiguous;
  int            tax_bps;
  gboolean       address_issue;
  const char    *address_message;
  gboolean       gift;
  gboolean       vip;
  gboolean       wholesale;

  /* Lines and money */
  PsLineFields   lines[MAX_LINES];
  int            line_product[MAX_LINES];
  guint          n_lines;
  const char    *currency;
  gint64         subtotal;
  gint64         shipping;
  gint64         tax;

  /* Timeline */
  gint64         created_at;
  gint64         paid_at;
  gint64         imported_at;
  PsOrderStatus  status;
  ShipPlan       ships[MAX_SHIPMENTS];
  guint          n_ships;       /* shipments that exist by now */
  guint          n_planned;     /* shipments the order will have */
  const char    *note;
  gint64         note_at;

  /* Return */
  gboolean       has_return;
  PsReturnReason return_reason;
  PsReturnStatus return_status;
  gint64         return_requested_at;
  gint64         return_received_at;
  gint64         return_refunded_at;
  guint          return_first_line;
  guint          return_n_lines;
  gboolean       return_all_quantity;
} OrderPlan;

typedef struct
{
  PsDatabase    *db;
  PsOrderWriter *writer;
  GRand         *rand;
  gint64         now;
  gint64         start;
  PsDemoStats    stats;

  int            state_city_first[G_N_ELEMENTS (us_states)];
  int            state_city_count[G_N_ELEMENTS (us_states)];
  int            country_city_first[G_N_ELEMENTS (countries)];
  int            country_city_count[G_N_ELEMENTS (countries)];
  int            region_zone[32];
  const char    *region_hub[32];
  guint          n_regions;
  int            pnw_region;
  int            noncontiguous_region;

  /* Weights copied out of the tables for pick_weighted () */
  int            state_weights[G_N_ELEMENTS (us_states)];
  int            country_weights[G_N_ELEMENTS (countries)];
  int            popularity[G_N_ELEMENTS (products)];
  int            channel_weights[N_CHANNELS];

  /* Order numbers */
  guint64        shopify_next;
  guint64        woo_next;
  guint64        etsy_next;
  guint64        amazon_seq;
  guint64        ebay_seq;
  guint64        amazon_offset;
  guint64        ebay_offset;

  guint64        tracking_serial[N_CARRIERS];
  double         exception_acc[N_CARRIERS][32];

  OrderPlan      plan;
  PendingEvent   events[MAX_EVENTS];
  guint          n_events;
} Generator;

/* Small helpers */

static int
weekday (gint64 t)
{
  /* 1970-01-01 was a Thursday; 0 = Monday. */
  return (int)(((t / DAY) + 3) % 7);
}

static gint64
day_of (gint64 t)
{
  return t - t % DAY;
}

static gboolean
is_weekend (gint64 t)
{
  return weekday (t) >= 5;
}

static gint64
add_business_days (gint64 day,
                   int    n)
{
  while (n > 0)
    {
      day += DAY;
      if (!is_weekend (day))
        n--;
    }
  return day;
}

static gint64
next_business_day (gint64 day)
{
  return add_business_days (day, 1);
}

static int
business_days_between (gint64 from,
                       gint64 to)
{
  gint64 day = day_of (from), end = day_of (to);
  int n = 0;

  while (day < end)
    {
      day += DAY;
      if (!is_weekend (day))
        n++;
    }
  return n;
}

static double
uniform (Generator *gen,
         double     lo,
         double     hi)
{
  return g_rand_double_range (gen->rand, lo, hi);
}

static gint64
seconds_between (Generator *gen,
                 gint64     lo,
                 gint64     hi)
{
  if (hi <= lo)
    return lo;
  return lo + (gint64)(g_rand_double (gen->rand) * (double)(hi - lo));
}

static int
int_between (Generator *gen,
             int        lo,
             int        hi)   /* inclusive */
{
  return g_rand_int_range (gen->rand, lo, hi + 1);
}

static gboolean
chance (Generator *gen,
        double     p)
{
  return g_rand_double (gen->rand) < p;
}

static guint
pick_weighted (Generator *gen,
               const int *weights,
               guint      n)
{
  int total = 0, r;

  for (guint i = 0; i < n; i++)
    total += weights[i];
  g_assert (total > 0);
  r = g_rand_int_range (gen->rand, 0, total);
  for (guint i = 0; i < n; i++)
    {
      if (r < weights[i])
        return i;
      r -= weights[i];
    }
  g_assert_not_reached ();
}

#define PICK(gen, array) ((array)[g_rand_int_range ((gen)->rand, 0, G_N_ELEMENTS (array))])

static char
pick_letter (Generator  *gen,
             const char *letters)
{
  return letters[g_rand_int_range (gen->rand, 0, (gint32)strlen (letters))];
}

/* Moves @t into the packing team's working hours (13–22 UTC, 8–5 Eastern)
 * on a weekday. */
static gint64
working_time (Generator *gen,
              gint64     t)
{
  gint64 day = day_of (t);
  gint64 hour = (t - day) / HOUR;

  if (!is_weekend (day) && hour >= 13 && hour < 22)
    return t;
  if (is_weekend (day) || hour >= 22)
    day = next_business_day (day);
  return day + 13 * HOUR + seconds_between (gen, 0, 3 * HOUR);
}

/* A US-style "x.99" price in the order's currency from USD cents. */
static gint64
local_price (const Country *intl,
             gint64         usd_cents)
{
  gint64 local;

  if (intl == NULL)
    return usd_cents;
  local = usd_cents * intl->per_usd_milli / 1000;
  if (g_str_equal (intl->currency, "JPY"))
    return ((local / 100 + 50) / 100) * 100;   /* cents → yen, to 100 yen */
  return ((local + 50) / 100) * 100 - 1;
}

static int
region_index (Generator  *gen,
              const char *region)
{
  /* Unknown codes share the last slot ("other"). */
  const char * const *list = ps_region_list ();

  for (guint i = 0; list[i] != NULL; i++)
    if (g_str_equal (list[i], region))
      return (int)i;
  return (int)gen->n_regions - 1;
}

static void
add_event (Generator   *gen,
           gint64       time,
           PsEventType  type,
           int          shipment,
           gboolean     is_return,
           const char  *actor,
           const char  *format,
           ...) G_GNUC_PRINTF (7, 8);

static void
add_event (Generator   *gen,
           gint64       time,
           PsEventType  type,
           int          shipment,
           gboolean     is_return,
           const char  *actor,
           const char  *format,
           ...)
{
  PendingEvent *e;
  va_list args;

  g_assert (gen->n_events < MAX_EVENTS);
  e = &gen->events[gen->n_events++];
  e->time = time;
  e->type = type;
  e->shipment = shipment;
  e->is_return = is_return;
  e->actor = actor;
  va_start (args, format);
  g_vsnprintf (e->data, sizeof e->data, format, args);
  va_end (args);
}

static const char *
tracking_nick (PsTrackingStatus status)
{
  return ps_enum_to_nick (PS_TYPE_TRACKING_STATUS, status);
}

static const char *
order_nick (PsOrderStatus status)
{
  return ps_enum_to_nick (PS_TYPE_ORDER_STATUS, status);
}

/* Setup */

static void
generator_init (Generator           *gen,
                PsDatabase          *db,
                const PsDemoOptions *options)
{
  guint32 seed[2] = { (guint32)(options->seed & 0xffffffff), (guint32)(options->seed >> 32) };
  const char * const *regions = ps_region_list ();
  guint64 account;
  int k = 0;

  memset (gen, 0, sizeof *gen);
  gen->db = db;
  gen->rand = g_rand_new_with_seed_array (seed, G_N_ELEMENTS (seed));
  gen->now = options->now != 0 ? options->now : ps_time_now ();
  gen->start = day_of (gen->now) - (HISTORY_DAYS - 1) * DAY;

  for (guint s = 0; s < G_N_ELEMENTS (us_states); s++)
    {
      gen->state_city_first[s] = k;
      while (k < (int)G_N_ELEMENTS (us_cities)
             && g_str_equal (us_cities[k].state, us_states[s].code))
        k++;
      gen->state_city_count[s] = k - gen->state_city_first[s];
      g_assert (gen->state_city_count[s] > 0);
    }
  g_assert (k == (int)G_N_ELEMENTS (us_cities));

  k = 0;
  for (guint c = 0; c < G_N_ELEMENTS (countries); c++)
    {
      gen->country_city_first[c] = -1;
      for (guint i = 0; i < G_N_ELEMENTS (intl_cities); i++)
        if (g_str_equal (intl_cities[i].country, countries[c].code))
          {
            if (gen->country_city_first[c] < 0)
              gen->country_city_first[c] = (int)i;
            gen->country_city_count[c]++;
          }
      g_assert (gen->country_city_count[c] > 0);
    }

  for (guint i = 0; i < G_N_ELEMENTS (us_states); i++)
    gen->state_weights[i] = us_states[i].weight;
  for (guint i = 0; i < G_N_ELEMENTS (countries); i++)
    gen->country_weights[i] = countries[i].weight;
  for (guint i = 0; i < G_N_ELEMENTS (products); i++)
    gen->popularity[i] = products[i].popularity;
  for (guint i = 0; i < N_CHANNELS; i++)
    gen->channel_weights[i] = channels[i].weight;

  for (gen->n_regions = 0; regions[gen->n_regions] != NULL; gen->n_regions++)
    {
      g_assert (gen->n_regions < G_N_ELEMENTS (gen->region_zone));
      gen->region_zone[gen->n_regions] = 8;
      gen->region_hub[gen->n_regions] = "Oakland, CA";
      for (guint r = 0; r < G_N_ELEMENTS (region_routes); r++)
        if (g_str_equal (region_routes[r].region, regions[gen->n_regions]))
          {
            gen->region_zone[gen->n_regions] = region_routes[r].zone;
            gen->region_hub[gen->n_regions] = region_routes[r].hub;
          }
    }

  gen->pnw_region = region_index (gen, "us-pacific-northwest");
  gen->noncontiguous_region = region_index (gen, "us-noncontiguous");

  /* The shop existed before the 90 days: numbers do not start at 1. */
  gen->shopify_next = 1001 + (guint64)g_rand_int_range (gen->rand, 0, 4000);
  gen->woo_next = 5000 + (guint64)g_rand_int_range (gen->rand, 0, 1000);
  gen->etsy_next = G_GUINT64_CONSTANT (3100000000)
                   + (guint64)g_rand_int_range (gen->rand, 0, 100000000);
  gen->amazon_offset = (guint64)g_rand_int_range (gen->rand, 0, 10000000);
  gen->ebay_offset = (guint64)g_rand_int_range (gen->rand, 0, 1000000000);
  /* Tracking serials: the high digits are the merchant's account with each
   * carrier (see ps_tracking_number_make), the low ones count up. One
   * random draw per statement throughout this file: the order in which C
   * evaluates operands and arguments is unspecified, and the data must not
   * depend on the compiler. */
  account = (guint64)g_rand_int_range (gen->rand, 1, 1544804416);   /* 34^6 */
  gen->tracking_serial[CARRIER_UPS] = (account * 5 + 2) * 10000000;  /* service "03" */
  gen->tracking_serial[CARRIER_UPS] += (guint64)g_rand_int_range (gen->rand, 0, 4000000);
  account = (guint64)g_rand_int_range (gen->rand, 100000000, 999999999);
  gen->tracking_serial[CARRIER_USPS] = account * 10000000;
  gen->tracking_serial[CARRIER_USPS] += (guint64)g_rand_int_range (gen->rand, 0, 4000000);
  account = (guint64)g_rand_int_range (gen->rand, 1000, 8000);
  gen->tracking_serial[CARRIER_FEDEX] = account * 1000000;
  gen->tracking_serial[CARRIER_FEDEX] += (guint64)g_rand_int_range (gen->rand, 0, 1000000);
  gen->tracking_serial[CARRIER_DHL] =
    (guint64)g_rand_int_range (gen->rand, 0, 700000000);
  for (guint c = 0; c < N_CARRIERS; c++)
    for (guint r = 0; r < G_N_ELEMENTS (gen->exception_acc[c]); r++)
      gen->exception_acc[c][r] = g_rand_double (gen->rand);
}

static void
generator_clear (Generator *gen)
{
  g_clear_pointer (&gen->rand, g_rand_free);
  g_clear_pointer (&gen->writer, ps_order_writer_free);
}

/* How many orders fall on each day: weekday pattern, ~30 % growth over
 * the period, a sale weekend, day-to-day noise; the last day only up to
 * now. Cumulative rounding makes the counts add up to @n_orders. */
static void
distribute_orders (Generator *gen,
                   guint      n_orders,
                   guint     *counts)
{
  double weights[HISTORY_DAYS];
  double total = 0, cum = 0;
  gint64 prev = 0;
  double now_hours = (double)(gen->now - day_of (gen->now)) / HOUR;

  for (int d = 0; d < HISTORY_DAYS; d++)
    {
      gint64 day = gen->start + d * DAY;
      double w = (1.0 + 0.30 * d / (HISTORY_DAYS - 1)) * weekday_weights[weekday (day)];

      w *= uniform (gen, 0.88, 1.12);
      if (d >= 48 && d <= 50)
        w *= 1.6;
      if (d == HISTORY_DAYS - 1)
        {
          double part = 0, all = 0;

          for (int h = 0; h < 24; h++)
            {
              all += hour_weights[h];
              if (h + 1 <= now_hours)
                part += hour_weights[h];
              else if (h < now_hours)
                part += hour_weights[h] * (now_hours - h);
            }
          w *= part / all;
        }
      weights[d] = w;
      total += w;
    }

  for (int d = 0; d < HISTORY_DAYS; d++)
    {
      gint64 upto;

      cum += weights[d];
      upto = (gint64)(cum / total * n_orders + 0.5);
      if (d == HISTORY_DAYS - 1)
        upto = n_orders;
      counts[d] = (guint)(upto - prev);
      prev = upto;
    }
}

static int
compare_times (gconstpointer a,
               gconstpointer b)
{
  gint64 x = *(const gint64 *)a, y = *(const gint64 *)b;

  return x < y ? -1 : x > y;
}

/* @count sorted order times on @day, none after now. */
static void
day_times (Generator *gen,
           gint64     day,
           guint      count,
           gint64    *times)
{
  double cum[24], total = 0;
  gint64 limit = MIN (day + DAY, gen->now);

  for (int h = 0; h < 24; h++)
    {
      gint64 from = day + h * HOUR;
      double w = 0;

      if (from < limit)
        w = hour_weights[h] * (double)(MIN (from + HOUR, limit) - from) / HOUR;
      total += w;
      cum[h] = total;
    }

  for (guint i = 0; i < count; i++)
    {
      double r = g_rand_double (gen->rand) * total;
      int h = 0;
      gint64 from;

      while (h < 23 && cum[h] <= r)
        h++;
      from = day + h * HOUR;
      times[i] = seconds_between (gen, from, MIN (from + HOUR, limit));
    }
  qsort (times, count, sizeof *times, compare_times);
}

/* Planning an order */

static void
plan_order_number (Generator *gen,
                   OrderPlan *plan)
{
  switch (plan->channel)
    {
    case CH_SHOPIFY:
      g_snprintf (plan->order_number, sizeof plan->order_number, "#%" G_GUINT64_FORMAT,
                  gen->shopify_next++);
      break;
    case CH_WOOCOMMERCE:
      g_snprintf (plan->order_number, sizeof plan->order_number, "WC-%" G_GUINT64_FORMAT,
                  gen->woo_next);
      gen->woo_next += (guint64)int_between (gen, 1, 3);
      break;
    case CH_ETSY:
      g_snprintf (plan->order_number, sizeof plan->order_number, "%" G_GUINT64_FORMAT,
                  gen->etsy_next);
      gen->etsy_next += (guint64)int_between (gen, 300, 3000);
      break;
    case CH_AMAZON:
      {
        /* The middle group is a bijection of the sequence number, so
         * numbers never repeat; the rest is noise. */
        guint64 mid = (gen->amazon_seq++ * 3456787 + gen->amazon_offset) % 10000000;
        int site = int_between (gen, 11, 14);
        int tail = int_between (gen, 0, 9999999);

        g_snprintf (plan->order_number, sizeof plan->order_number,
                    "1%02d-%07" G_GUINT64_FORMAT "-%07d", site, mid, tail);
        break;
      }
    case CH_EBAY:
      {
        guint64 v = (gen->ebay_seq++ * G_GUINT64_CONSTANT (1234567891) + gen->ebay_offset)
                    % G_GUINT64_CONSTANT (10000000000);

        g_snprintf (plan->order_number, sizeof plan->order_number,
                    "%02d-%05" G_GUINT64_FORMAT "-%05" G_GUINT64_FORMAT,
                    int_between (gen, 1, 27), v / 100000, v % 100000);
        break;
      }
    default:
      g_assert_not_reached ();
    }
}

static void
plan_customer (Generator *gen,
               OrderPlan *plan)
{
  const char *first = PICK (gen, first_names);
  const char *last = PICK (gen, last_names);
  const char *domain = PICK (gen, email_domains);
  int number = chance (gen, 0.4) ? int_between (gen, 1, 99) : 0;
  char *p;

  g_snprintf (plan->customer_name, sizeof plan->customer_name, "%s %s", first, last);
  if (number > 0)
    g_snprintf (plan->customer_email, sizeof plan->customer_email, "%s.%s%d@%s",
                first, last, number, domain);
  else
    g_snprintf (plan->customer_email, sizeof plan->customer_email, "%s.%s@%s",
                first, last, domain);
  for (p = plan->customer_email; *p != '\0'; p++)
    *p = g_ascii_tolower (*p);

  /* A gift goes to someone else. */
  if (plan->gift && chance (gen, 0.7))
    {
      const char *gift_first = PICK (gen, first_names);
      const char *gift_last = PICK (gen, last_names);

      g_snprintf (plan->ship_name, sizeof plan->ship_name, "%s %s", gift_first, gift_last);
    }
  else
    g_strlcpy (plan->ship_name, plan->customer_name, sizeof plan->ship_name);

  plan->ship_company[0] = '\0';
  if (plan->wholesale)
    g_snprintf (plan->ship_company, sizeof plan->ship_company, "%s Outfitters", last);
}

static void
plan_us_address (Generator *gen,
                 OrderPlan *plan)
{
  guint s = pick_weighted (gen, gen->state_weights, G_N_ELEMENTS (us_states));
  const UsCity *city;
  int number;

  city = &us_cities[gen->state_city_first[s]
                    + g_rand_int_range (gen->rand, 0, gen->state_city_count[s])];

  plan->intl = NULL;
  plan->country = "US";
  plan->state = us_states[s].code;
  plan->city = city->city;
  plan->tz = us_states[s].tz;
  plan->tax_bps = us_states[s].tax_bps;
  g_snprintf (plan->postcode, sizeof plan->postcode, "%05d",
              int_between (gen, city->zip_lo, city->zip_hi));
  number = int_between (gen, 1, 9899);
  g_snprintf (plan->ship_line1, sizeof plan->ship_line1, "%d %s", number, PICK (gen, us_streets));
  plan->ship_line2[0] = '\0';
  if (chance (gen, 0.2))
    {
      const char *kind = chance (gen, 0.7) ? "Apt" : "Unit";
      int unit = int_between (gen, 1, 40);
      char letter = pick_letter (gen, "ABCD");

      g_snprintf (plan->ship_line2, sizeof plan->ship_line2, "%s %d%c", kind, unit, letter);
    }
  else if (plan->wholesale)
    g_snprintf (plan->ship_line2, sizeof plan->ship_line2, "Suite %d", int_between (gen, 100, 450));

  if (chance (gen, 0.65))
    g_snprintf (plan->customer_phone, sizeof plan->customer_phone, "+1 %d-555-01%02d",
                city->area_code, int_between (gen, 0, 99));
  else
    plan->customer_phone[0] = '\0';
  g_snprintf (plan->dest_location, sizeof plan->dest_location, "%s, %s", city->city,
              plan->state);
}

static void
plan_intl_address (Generator *gen,
                   OrderPlan *plan)
{
  guint ci = pick_weighted (gen, gen->country_weights, G_N_ELEMENTS (countries));
  const Country *c;
  const IntlCity *city;
  const char *street;
  int number, n1, n2;
  char l1, l2;

  c = &countries[ci];
  city = &intl_cities[gen->country_city_first[ci]
                      + g_rand_int_range (gen->rand, 0, gen->country_city_count[ci])];

  plan->intl = c;
  plan->country = c->code;
  plan->state = city->state;
  plan->city = city->city;
  plan->tz = c->tz;
  plan->tax_bps = 0;   /* exports: duties are the buyer's */

  switch (c->shape)
    {
    case POST_DIGITS:
      n1 = int_between (gen, city->lo, city->hi);
      g_snprintf (plan->postcode, sizeof plan->postcode, "%0*d", c->width, n1);
      break;
    case POST_CA:
      n1 = int_between (gen, 0, 9);
      l1 = pick_letter (gen, ca_letters);
      n2 = int_between (gen, 0, 9);
      g_snprintf (plan->postcode, sizeof plan->postcode, "%s %d%c%d", city->prefix, n1, l1, n2);
      break;
    case POST_GB:
      n1 = int_between (gen, 1, 9);
      l1 = pick_letter (gen, gb_letters);
      l2 = pick_letter (gen, gb_letters);
      g_snprintf (plan->postcode, sizeof plan->postcode, "%s %d%c%c", city->prefix, n1, l1, l2);
      break;
    case POST_NL:
      n1 = int_between (gen, city->lo, city->hi);
      l1 = pick_letter (gen, nl_letters);
      l2 = pick_letter (gen, nl_letters);
      g_snprintf (plan->postcode, sizeof plan->postcode, "%04d %c%c", n1, l1, l2);
      break;
    case POST_JP:
      n1 = int_between (gen, city->lo, city->hi);
      n2 = int_between (gen, 1, 40);
      g_snprintf (plan->postcode, sizeof plan->postcode, "%s-%02d%02d", city->prefix, n1, n2);
      break;
    default:
      g_assert_not_reached ();
    }

  street = city->streets[g_rand_int_range (gen->rand, 0, G_N_ELEMENTS (city->streets))];
  number = int_between (gen, 1, 240);
  if (g_str_equal (c->code, "JP"))
    {
      /* chōme-block-house */
      n1 = int_between (gen, 1, 30);
      n2 = int_between (gen, 1, 20);
      g_snprintf (plan->ship_line1, sizeof plan->ship_line1, "%d-%d-%d %s",
                  1 + number % 6, n1, n2, street);
    }
  else if (c->number_first)
    g_snprintf (plan->ship_line1, sizeof plan->ship_line1, "%d %s", number, street);
  else
    g_snprintf (plan->ship_line1, sizeof plan->ship_line1, "%s %d", street, number);
  plan->ship_line2[0] = '\0';
  if (chance (gen, 0.15))
    {
      if (g_str_equal (c->code, "GB"))
        g_snprintf (plan->ship_line2, sizeof plan->ship_line2, "Flat %d", int_between (gen, 1, 60));
      else if (g_str_equal (c->code, "CA") || g_str_equal (c->code, "AU"))
        g_snprintf (plan->ship_line2, sizeof plan->ship_line2, "Unit %d", int_between (gen, 1, 60));
    }
  plan->customer_phone[0] = '\0';

  g_snprintf (plan->dest_location, sizeof plan->dest_location, "%s, %s", city->city, c->code);
}

static void
plan_lines (Generator *gen,
            OrderPlan *plan)
{
  guint n;

  if (plan->wholesale)
    n = (guint)int_between (gen, 3, MAX_LINES);
  else
    n = 1 + pick_weighted (gen, line_count_weights, G_N_ELEMENTS (line_count_weights));

  plan->n_lines = 0;
  for (guint i = 0; i < n; i++)
    {
      PsLineFields *line = &plan->lines[plan->n_lines];
      const Product *p;
      const char *variant = NULL;
      guint product;
      gboolean duplicate = FALSE;

      product = pick_weighted (gen, gen->popularity, G_N_ELEMENTS (products));
      p = &products[product];
      if (p->sized)
        variant = sizes[pick_weighted (gen, size_weights, G_N_ELEMENTS (size_weights))];

      /* One line per SKU and variant, as shops do. */
      for (guint k = 0; k < plan->n_lines; k++)
        if (plan->line_product[k] == (int)product && plan->lines[k].variant == variant)
          duplicate = TRUE;
      if (duplicate)
        continue;

      line->sku = p->sku;
      line->name = p->name;
      line->variant = variant;
      line->quantity = plan->wholesale
                       ? int_between (gen, 6, 24)
                       : 1 + (int)pick_weighted (gen, quantity_weights,
                                                 G_N_ELEMENTS (quantity_weights));
      line->unit_price_minor = local_price (plan->intl, p->price_cents);
      line->weight_grams = p->weight_g;
      plan->line_product[plan->n_lines] = (int)product;
      plan->n_lines++;
    }
}

/* Parcel size and packed weight from the goods' weight. */
static void
plan_parcel (ShipPlan *ship,
             int       goods_g)
{
  if (goods_g <= 300)
    {
      ship->length_mm = 254, ship->width_mm = 178, ship->height_mm = 25;
      ship->weight_g = goods_g + 40;
    }
  else if (goods_g <= 900)
    {
      ship->length_mm = 229, ship->width_mm = 152, ship->height_mm = 102;
      ship->weight_g = goods_g + 180;
    }
  else if (goods_g <= 2800)
    {
      ship->length_mm = 305, ship->width_mm = 229, ship->height_mm = 152;
      ship->weight_g = goods_g + 350;
    }
  else
    {
      ship->length_mm = 406, ship->width_mm = 305, ship->height_mm = 254;
      ship->weight_g = goods_g + 600;
    }
}

static gint64
shipment_rate (Generator      *gen,
               const OrderPlan *plan,
               const ShipPlan *ship)
{
  const Service *svc = &services[ship->service];
  int lbs = MAX (1, (ship->weight_g + 453) / 454);
  double rate;

  if (plan->intl != NULL && svc->carrier == CARRIER_USPS)
    /* Priority Mail International */
    rate = 3600 + 700 * (plan->zone - 1) + 500 * (lbs - 1);
  else if (plan->intl != NULL)
    rate = svc->base + svc->per_zone * (plan->zone - 1) + svc->per_lb * (lbs - 1);
  else
    rate = svc->base + svc->per_zone * (plan->zone - 2) + svc->per_lb * (lbs - 1);

  /* Fuel surcharges and residential fees move a little from label to label. */
  rate *= uniform (gen, 0.97, 1.03);

  /* The planted cost drift: UPS Ground creeps up week after week. */
  if (ship->service == SVC_UPS_GROUND)
    rate *= 1.0 + UPS_GROUND_DRIFT_WEEK * (double)(ship->label_at - gen->start) / (7.0 * DAY);

  return (gint64)(rate + 0.5);
}

static int
transit_days (const OrderPlan *plan,
              const ShipPlan  *ship)
{
  const Service *svc = &services[ship->service];

  if (plan->intl != NULL)
    return svc->carrier == CARRIER_USPS ? 6 + plan->zone : svc->transit + (plan->zone == 3);
  if (svc->transit == 0)
    return ground_transit[CLAMP (plan->zone, 1, 8)]
           + (plan->noncontiguous ? 2 : 0);
  return svc->transit;
}

static PsExceptionReason
pick_exception_reason (Generator       *gen,
                       const OrderPlan *plan)
{
  int weights[G_N_ELEMENTS (exception_weights)];

  if (plan->address_issue && chance (gen, 0.8))
    return PS_EXCEPTION_REASON_ADDRESS_ISSUE;
  for (guint i = 0; i < G_N_ELEMENTS (exception_weights); i++)
    weights[i] = plan->intl ? exception_weights[i].intl_weight : exception_weights[i].us_weight;
  return exception_weights[pick_weighted (gen, weights, G_N_ELEMENTS (weights))].reason;
}

/* Whether this shipment meets a carrier exception. The rate is per
 * (carrier, region) cell, realised through an accumulator so that each
 * cell's share of exceptions stays close to its rate. */
static gboolean
draw_exception (Generator       *gen,
                const OrderPlan *plan,
                const ShipPlan  *ship)
{
  int carrier = services[ship->service].carrier;
  double p;

  if (plan->intl != NULL)
    p = INTL_EXCEPTION_RATE;
  else if (carrier == CARRIER_UPS && plan->region == gen->pnw_region)
    p = PLANTED_EXCEPTION_RATE;
  else
    p = BASE_EXCEPTION_RATE;

  gen->exception_acc[carrier][plan->region] += p * uniform (gen, 0.5, 1.5);
  if (gen->exception_acc[carrier][plan->region] >= 1.0)
    {
      gen->exception_acc[carrier][plan->region] -= 1.0;
      return TRUE;
    }
  /* Bad addresses fail more often, whatever the cell. */
  return plan->address_issue && chance (gen, 0.25);
}

static Step *
push_step (ShipPlan          *ship,
           gint64             time,
           PsTrackingStatus   status,
           PsExceptionReason  reason,
           const char        *description,
           const char        *location)
{
  Step *step;

  g_assert (ship->n_steps < MAX_STEPS);
  step = &ship->steps[ship->n_steps++];
  /* Scans never go backwards. */
  if (ship->n_steps > 1 && time <= step[-1].time)
    time = step[-1].time + 5 * MINUTE;
  step->time = time;
  step->status = status;
  step->reason = reason;
  step->description = description;
  step->location = location;
  return step;
}

/* The delivery part of a timeline from the destination facility on, with
 * exceptions that happen at the door. */
static void
plan_last_mile (Generator         *gen,
                OrderPlan         *plan,
                ShipPlan          *ship,
                gint64             delivery_day,
                PsExceptionReason  reason)
{
  const char *dest = plan->dest_location;
  gint64 local = -plan->tz * HOUR;   /* add to a UTC day start for local midnight */
  gint64 ofd = delivery_day + local + 8 * HOUR + seconds_between (gen, 0, 90 * MINUTE);
  gint64 attempt = ofd + seconds_between (gen, 2 * HOUR, 9 * HOUR);

  push_step (ship, ofd - seconds_between (gen, 3 * HOUR, 7 * HOUR), PS_TRACKING_STATUS_IN_TRANSIT,
             PS_EXCEPTION_REASON_NONE, "Arrived at destination facility", dest);
  push_step (ship, ofd, PS_TRACKING_STATUS_OUT_FOR_DELIVERY, PS_EXCEPTION_REASON_NONE,
             "Out for delivery", dest);

  switch ((int)reason)
    {
    case PS_EXCEPTION_REASON_FAILED_ATTEMPT:
      push_step (ship, attempt, PS_TRACKING_STATUS_EXCEPTION, reason,
                 "Delivery attempted: no access to the delivery location", dest);
      if (chance (gen, 0.3))
        {
          gint64 pickup = attempt + seconds_between (gen, 1 * HOUR, 3 * HOUR);
          gint64 collected = pickup + int_between (gen, 1, 3) * DAY;

          collected += seconds_between (gen, 0, 4 * HOUR);
          push_step (ship, pickup, PS_TRACKING_STATUS_AVAILABLE_FOR_PICKUP,
                     PS_EXCEPTION_REASON_NONE, "Held at the local facility for pickup", dest);
          push_step (ship, collected, PS_TRACKING_STATUS_DELIVERED, PS_EXCEPTION_REASON_NONE,
                     "Picked up by the recipient", dest);
          return;
        }
      push_step (ship, ofd + DAY, PS_TRACKING_STATUS_OUT_FOR_DELIVERY, PS_EXCEPTION_REASON_NONE,
                 "Out for delivery, second attempt", dest);
      push_step (ship, attempt + DAY, PS_TRACKING_STATUS_DELIVERED, PS_EXCEPTION_REASON_NONE,
                 "Delivered, front door", dest);
      return;

    case PS_EXCEPTION_REASON_ADDRESS_ISSUE:
      push_step (ship, attempt, PS_TRACKING_STATUS_EXCEPTION, reason,
                 "Address information incomplete or incorrect", dest);
      push_step (ship, attempt + DAY + seconds_between (gen, 0, 6 * HOUR),
                 PS_TRACKING_STATUS_IN_TRANSIT, PS_EXCEPTION_REASON_NONE,
                 "Address corrected; delivery rescheduled", dest);
      push_step (ship, ofd + 2 * DAY, PS_TRACKING_STATUS_OUT_FOR_DELIVERY,
                 PS_EXCEPTION_REASON_NONE, "Out for delivery", dest);
      push_step (ship, attempt + 2 * DAY, PS_TRACKING_STATUS_DELIVERED, PS_EXCEPTION_REASON_NONE,
                 "Delivered, front door", dest);
      return;

    case PS_EXCEPTION_REASON_REFUSED:
      push_step (ship, attempt, PS_TRACKING_STATUS_EXCEPTION, reason,
                 "Delivery refused by the recipient", dest);
      push_step (ship, attempt + DAY, PS_TRACKING_STATUS_RETURN_TO_SENDER,
                 PS_EXCEPTION_REASON_NONE, "Returning to sender", dest);
      return;

    default:
      push_step (ship, attempt, PS_TRACKING_STATUS_DELIVERED, PS_EXCEPTION_REASON_NONE,
                 chance (gen, 0.5) ? "Delivered, front door"
                                   : chance (gen, 0.5) ? "Delivered, mailbox"
                                                       : "Delivered, left with reception",
                 dest);
      return;
    }
}

/* The whole life of one shipment as the carrier will report it; steps
 * after now are dropped afterwards. */
static void
plan_timeline (Generator *gen,
               OrderPlan *plan,
               ShipPlan  *ship)
{
  const Service *svc = &services[ship->service];
  int carrier = svc->carrier;
  int transit = transit_days (plan, ship);
  gint64 local = -plan->tz * HOUR;
  gint64 pickup_day, first_scan, expected_day, delivery_day, hub_from, hub_to;
  PsExceptionReason reason = PS_EXCEPTION_REASON_NONE;
  gboolean in_transit_exception = FALSE;
  const char *hubs[4];
  guint n_hubs = 0;
  int extra_days = 0;

  ship->n_steps = 0;
  push_step (ship, ship->label_at, PS_TRACKING_STATUS_PRE_TRANSIT, PS_EXCEPTION_REASON_NONE,
             "Shipping label created, awaiting the package", NULL);

  /* Planted late handoffs: a recent label the carrier never scanned. */
  if (ship->label_at < gen->now && ship->label_at > gen->now - 6 * DAY
      && business_days_between (ship->label_at, gen->now) >= 2
      && chance (gen, LATE_HANDOFF_RATE))
    {
      ship->reason = PS_EXCEPTION_REASON_LATE_HANDOFF;
      ship->estimated_at = add_business_days (day_of (ship->label_at), transit + 1)
                           + local + 20 * HOUR;
      return;
    }

  /* Pickup the same evening if labelled by 20:00 UTC on a weekday. */
  pickup_day = day_of (ship->label_at);
  if (is_weekend (pickup_day) || ship->label_at - pickup_day >= 20 * HOUR)
    pickup_day = next_business_day (pickup_day);
  expected_day = add_business_days (pickup_day, transit);
  ship->estimated_at = expected_day + local + 20 * HOUR;

  /* Some handoffs were late in the past too, and scanned days later. */
  if (chance (gen, 0.03))
    pickup_day = add_business_days (pickup_day, int_between (gen, 2, 3));
  first_scan = pickup_day + 22 * HOUR + seconds_between (gen, 0, 100 * MINUTE);
  push_step (ship, MAX (first_scan, ship->label_at + 30 * MINUTE), PS_TRACKING_STATUS_IN_TRANSIT,
             PS_EXCEPTION_REASON_NONE,
             carrier == CARRIER_USPS ? "Accepted at USPS origin facility" : "Picked up",
             ORIGIN_LOCATION);

  if (draw_exception (gen, plan, ship))
    reason = pick_exception_reason (gen, plan);
  if (reason == PS_EXCEPTION_REASON_CUSTOMS_HOLD && plan->intl == NULL)
    reason = PS_EXCEPTION_REASON_DELAY;
  in_transit_exception = reason == PS_EXCEPTION_REASON_DAMAGED
                         || reason == PS_EXCEPTION_REASON_LOST
                         || reason == PS_EXCEPTION_REASON_WEATHER
                         || reason == PS_EXCEPTION_REASON_DELAY
                         || reason == PS_EXCEPTION_REASON_OTHER;

  /* Delivery day: early sometimes, late sometimes (a missed estimate with
   * no exception), and pushed back by exceptions on the way. */
  delivery_day = add_business_days (day_of (first_scan), transit);
  if (transit > 1 && chance (gen, 0.08))
    delivery_day = add_business_days (day_of (first_scan), transit - 1);
  else if (chance (gen, 0.06))
    extra_days = int_between (gen, 1, 2);
  if (in_transit_exception)
    extra_days += reason == PS_EXCEPTION_REASON_WEATHER ? int_between (gen, 2, 3)
                                                        : int_between (gen, 1, 2);
  if (reason == PS_EXCEPTION_REASON_CUSTOMS_HOLD)
    extra_days += int_between (gen, 2, 4);
  delivery_day = add_business_days (delivery_day, extra_days);

  /* The route: the carrier's hub, the regional center, abroad the gateway. */
  if (plan->intl != NULL)
    {
      hubs[n_hubs++] = carrier == CARRIER_USPS ? "Chicago, IL" : carrier_hubs[carrier];
      hubs[n_hubs++] = plan->intl->gateway;
    }
  else
    {
      if (carrier != CARRIER_USPS || plan->zone > 3)
        hubs[n_hubs++] = carrier_hubs[carrier];
      if (plan->zone > 3)
        hubs[n_hubs++] = gen->region_hub[plan->region];
      if (plan->zone > 6 || n_hubs == 0)
        hubs[n_hubs++] = gen->region_hub[plan->region];
    }

  hub_from = first_scan + 2 * HOUR;
  hub_to = delivery_day + local - 6 * HOUR;
  for (guint h = 0; h < n_hubs; h++)
    {
      gint64 t = hub_from + (hub_to - hub_from) * (gint64)(h + 1) / (gint64)(n_hubs + 2);
      gboolean last_of_pair = h > 0 && hubs[h] == hubs[h - 1];

      push_step (ship, t + seconds_between (gen, 0, HOUR), PS_TRACKING_STATUS_IN_TRANSIT,
                 PS_EXCEPTION_REASON_NONE,
                 last_of_pair ? "Departed facility" : "Arrived at facility", hubs[h]);

      if (in_transit_exception && h == 0)
        {
          gint64 when = ship->steps[ship->n_steps - 1].time
                        + seconds_between (gen, 2 * HOUR, 10 * HOUR);
          const char *text;

          switch ((int)reason)
            {
            case PS_EXCEPTION_REASON_DAMAGED:
              text = "Package damaged in transit; carrier is repackaging";
              break;
            case PS_EXCEPTION_REASON_LOST:
              text = "Package cannot be located";
              break;
            case PS_EXCEPTION_REASON_WEATHER:
              text = "Severe weather; delivery may be delayed";
              break;
            case PS_EXCEPTION_REASON_DELAY:
              text = "Late trailer arrival; delivery rescheduled";
              break;
            default:
              text = "Carrier exception";
              break;
            }
          push_step (ship, when, PS_TRACKING_STATUS_EXCEPTION, reason, text, hubs[h]);
          if (reason == PS_EXCEPTION_REASON_LOST)
            return;
          push_step (ship, when + extra_days * DAY - seconds_between (gen, 2 * HOUR, 8 * HOUR),
                     PS_TRACKING_STATUS_IN_TRANSIT, PS_EXCEPTION_REASON_NONE,
                     reason == PS_EXCEPTION_REASON_DAMAGED ? "Repackaged; back in transit"
                                                           : "Resumed transit",
                     hubs[h]);
        }
    }

  if (plan->intl != NULL)
    {
      gint64 at = hub_from + (hub_to - hub_from) * (gint64)(n_hubs + 1) / (gint64)(n_hubs + 2);

      if (reason == PS_EXCEPTION_REASON_CUSTOMS_HOLD)
        {
          gint64 held = at - extra_days * DAY;

          push_step (ship, held, PS_TRACKING_STATUS_EXCEPTION, reason,
                     "Held by customs: awaiting clearance documents", plan->intl->gateway);
          push_step (ship, at, PS_TRACKING_STATUS_IN_TRANSIT, PS_EXCEPTION_REASON_NONE,
                     "Released by customs", plan->intl->gateway);
        }
      else
        push_step (ship, at, PS_TRACKING_STATUS_IN_TRANSIT, PS_EXCEPTION_REASON_NONE,
                   "Customs clearance complete", plan->intl->gateway);
    }

  plan_last_mile (gen, plan, ship, delivery_day,
                  in_transit_exception ? PS_EXCEPTION_REASON_NONE : reason);
}

/* Keeps the steps up to now and derives the shipment's current state. */
static void
settle_shipment (Generator *gen,
                 ShipPlan  *ship)
{
  const Step *last;
  guint n = 0;

  while (n < ship->n_steps && ship->steps[n].time <= gen->now)
    n++;
  g_assert (n > 0);   /* the label step is never in the future */
  ship->n_steps = n;

  last = &ship->steps[n - 1];
  ship->status = last->status;
  if (ship->reason != PS_EXCEPTION_REASON_LATE_HANDOFF)
    ship->reason = last->status == PS_TRACKING_STATUS_EXCEPTION ? last->reason
                                                                 : PS_EXCEPTION_REASON_NONE;
  ship->first_scan_at = n > 1 ? ship->steps[1].time : 0;
  ship->delivered_at = last->status == PS_TRACKING_STATUS_DELIVERED ? last->time : 0;

  if (last->status == PS_TRACKING_STATUS_DELIVERED
      || last->status == PS_TRACKING_STATUS_RETURN_TO_SENDER)
    ship->next_track_at = 0;
  else
    ship->next_track_at = gen->now + seconds_between (gen, 20 * MINUTE, 6 * HOUR);
}

static PsOrderStatus
aggregate_status (const OrderPlan        *plan,
                  const PsTrackingStatus *status)
{
  gboolean any_moving = FALSE, any_label = FALSE, all_delivered = TRUE;

  for (guint s = 0; s < plan->n_planned; s++)
    {
      switch ((int)status[s])
        {
        case PS_TRACKING_STATUS_EXCEPTION:
        case PS_TRACKING_STATUS_RETURN_TO_SENDER:
          return PS_ORDER_STATUS_EXCEPTION;
        case PS_TRACKING_STATUS_DELIVERED:
          any_moving = TRUE;
          break;
        case PS_TRACKING_STATUS_IN_TRANSIT:
        case PS_TRACKING_STATUS_OUT_FOR_DELIVERY:
        case PS_TRACKING_STATUS_AVAILABLE_FOR_PICKUP:
          any_moving = TRUE;
          all_delivered = FALSE;
          break;
        case PS_TRACKING_STATUS_PRE_TRANSIT:
          any_label = TRUE;
          all_delivered = FALSE;
          break;
        default:
          all_delivered = FALSE;
          break;
        }
    }
  if (all_delivered)
    return PS_ORDER_STATUS_DELIVERED;
  if (any_moving)
    return PS_ORDER_STATUS_SHIPPED;
  if (any_label)
    return PS_ORDER_STATUS_READY_TO_SHIP;
  return PS_ORDER_STATUS_AWAITING_SHIPMENT;
}

static void
status_changed (Generator     *gen,
                PsOrderStatus *current,
                PsOrderStatus  next,
                gint64         time,
                const char    *actor)
{
  if (next == *current)
    return;
  add_event (gen, time, PS_EVENT_TYPE_ORDER_STATUS_CHANGED, -1, FALSE, actor,
             "{\"from\":\"%s\",\"to\":\"%s\"}", order_nick (*current), order_nick (next));
  *current = next;
}

/* Walks the shipments' steps in time order, logging the tracking and
 * order status changes, and leaves the order's status as of now. */
static void
replay_shipments (Generator     *gen,
                  OrderPlan     *plan,
                  PsOrderStatus *status)
{
  PsTrackingStatus current[MAX_SHIPMENTS] = {
    PS_TRACKING_STATUS_UNKNOWN, PS_TRACKING_STATUS_UNKNOWN
  };
  guint next[MAX_SHIPMENTS] = { 0, 0 };

  for (;;)
    {
      int s = -1;
      const Step *step;
      ShipPlan *ship;

      for (guint k = 0; k < plan->n_ships; k++)
        if (next[k] < plan->ships[k].n_steps
            && (s < 0 || plan->ships[k].steps[next[k]].time < plan->ships[s].steps[next[s]].time))
          s = (int)k;
      if (s < 0)
        break;

      ship = &plan->ships[s];
      step = &ship->steps[next[s]++];

      if (step->status == PS_TRACKING_STATUS_PRE_TRANSIT
          && current[s] == PS_TRACKING_STATUS_UNKNOWN)
        add_event (gen, step->time, PS_EVENT_TYPE_LABEL_CREATED, s, FALSE, "merchant",
                   "{\"carrier\":\"%s\",\"service\":\"%s\",\"rate_minor\":%" G_GINT64_FORMAT
                   ",\"currency\":\"USD\"}",
                   carrier_ids[services[ship->service].carrier], services[ship->service].id,
                   ship->rate_cents);
      else if (step->status != current[s] && step->reason != PS_EXCEPTION_REASON_NONE)
        add_event (gen, step->time, PS_EVENT_TYPE_TRACKING_STATUS_CHANGED, s, FALSE, "carrier",
                   "{\"from\":\"%s\",\"to\":\"%s\",\"reason\":\"%s\"}",
                   tracking_nick (current[s]), tracking_nick (step->status),
                   ps_enum_to_nick (PS_TYPE_EXCEPTION_REASON, step->reason));
      else if (step->status != current[s])
        add_event (gen, step->time, PS_EVENT_TYPE_TRACKING_STATUS_CHANGED, s, FALSE, "carrier",
                   "{\"from\":\"%s\",\"to\":\"%s\"}",
                   tracking_nick (current[s]), tracking_nick (step->status));

      if (step->status == PS_TRACKING_STATUS_DELIVERED)
        add_event (gen, step->time, PS_EVENT_TYPE_SHIPMENT_DELIVERED, s, FALSE, "carrier",
                   "{\"carrier\":\"%s\",\"service\":\"%s\",\"on_time\":%s}",
                   carrier_ids[services[ship->service].carrier], services[ship->service].id,
                   step->time <= ship->estimated_at ? "true" : "false");

      current[s] = step->status;
      status_changed (gen, status, aggregate_status (plan, current), step->time,
                      step->status == PS_TRACKING_STATUS_PRE_TRANSIT ? "merchant" : "carrier");
    }
}

static void
plan_return (Generator *gen,
             OrderPlan *plan)
{
  int weights[G_N_ELEMENTS (return_weights)];
  gboolean any_sized = FALSE, damaged = FALSE, late = FALSE;
  gint64 delivered = 0, label_sent, in_transit, received, refunded;
  double p = RETURN_RATE;

  plan->has_return = FALSE;
  for (guint s = 0; s < plan->n_ships; s++)
    {
      delivered = MAX (delivered, plan->ships[s].delivered_at);
      late |= plan->ships[s].delivered_at > plan->ships[s].estimated_at;
      for (guint k = 0; k < plan->ships[s].n_steps; k++)
        damaged |= plan->ships[s].steps[k].reason == PS_EXCEPTION_REASON_DAMAGED;
    }
  for (guint i = 0; i < plan->n_lines; i++)
    any_sized |= products[plan->line_product[i]].sized;

  /* Apparel comes back far more often than mugs. */
  p *= any_sized ? 1.3 : 0.6;
  if (damaged)
    p = 0.25;
  else if (late)
    p *= 1.5;
  if (plan->wholesale || !chance (gen, p))
    return;

  plan->return_requested_at = delivered + seconds_between (gen, DAY, 21 * DAY);
  if (plan->return_requested_at > gen->now)
    return;

  for (guint i = 0; i < G_N_ELEMENTS (return_weights); i++)
    weights[i] = return_weights[i].weight;
  if (!any_sized)
    weights[0] = 0;
  if (damaged)
    weights[3] = 200;
  if (late)
    weights[5] *= 3;
  plan->return_reason = return_weights[pick_weighted (gen, weights, G_N_ELEMENTS (weights))].reason;

  /* Wrong size: the sized line. Otherwise one line, sometimes all. */
  plan->return_first_line = 0;
  plan->return_n_lines = 1;
  if (plan->return_reason == PS_RETURN_REASON_WRONG_SIZE)
    {
      for (guint i = 0; i < plan->n_lines; i++)
        if (products[plan->line_product[i]].sized)
          {
            plan->return_first_line = i;
            break;
          }
    }
  else if (plan->n_lines > 1 && chance (gen, 0.3))
    plan->return_n_lines = plan->n_lines;
  else
    plan->return_first_line = (guint)g_rand_int_range (gen->rand, 0, (gint32)plan->n_lines);
  plan->return_all_quantity = chance (gen, 0.85);

  label_sent = plan->return_requested_at + seconds_between (gen, 2 * HOUR, 20 * HOUR);
  in_transit = label_sent + seconds_between (gen, DAY, 4 * DAY);
  received = in_transit + seconds_between (gen, 2 * DAY, 5 * DAY);
  refunded = received + seconds_between (gen, 12 * HOUR, 3 * DAY);

  plan->return_received_at = 0;
  plan->return_refunded_at = 0;
  if (refunded <= gen->now)
    {
      plan->return_received_at = received;
      if (chance (gen, 0.05))
        plan->return_status = PS_RETURN_STATUS_REJECTED;
      else
        {
          plan->return_status = PS_RETURN_STATUS_REFUNDED;
          plan->return_refunded_at = refunded;
        }
    }
  else if (received <= gen->now)
    {
      plan->return_status = PS_RETURN_STATUS_RECEIVED;
      plan->return_received_at = received;
    }
  else if (in_transit <= gen->now)
    plan->return_status = PS_RETURN_STATUS_IN_TRANSIT;
  else if (label_sent <= gen->now)
    plan->return_status = PS_RETURN_STATUS_LABEL_SENT;
  else
    plan->return_status = PS_RETURN_STATUS_REQUESTED;

  plan->has_return = TRUE;
}

static void
plan_money (Generator *gen,
            OrderPlan *plan)
{
  int tier = plan->n_planned > 0 ? (int)services[plan->ships[0].service].tier : TIER_GROUND;
  gint64 usd_subtotal = 0, charge;

  plan->currency = plan->intl ? plan->intl->currency : "USD";
  plan->subtotal = 0;
  for (guint i = 0; i < plan->n_lines; i++)
    {
      plan->subtotal += plan->lines[i].unit_price_minor * plan->lines[i].quantity;
      usd_subtotal += (gint64)products[plan->line_product[i]].price_cents * plan->lines[i].quantity;
    }

  /* What the customer paid for shipping. */
  if (plan->intl != NULL)
    charge = g_str_equal (plan->country, "CA") ? 1999 : 2999;
  else if (tier == TIER_OVERNIGHT)
    charge = 2999;
  else if (tier == TIER_TWO_DAY)
    charge = 1299;
  else if (usd_subtotal >= (plan->channel == CH_AMAZON ? 3500 : 5000) || plan->wholesale)
    charge = 0;
  else
    charge = 599;
  plan->shipping = charge > 0 ? local_price (plan->intl, charge) : 0;

  plan->tax = (plan->subtotal * plan->tax_bps + 5000) / 10000;
}

static void
plan_order (Generator *gen,
            gint64     created_at)
{
  OrderPlan *plan = &gen->plan;
  gint64 ready, cancel_at = 0, hold_at = 0;
  gboolean unpaid = FALSE, cancelled = FALSE, held = FALSE;
  int goods_g = 0;
  PsOrderStatus status;

  gen->n_events = 0;
  plan->channel = (int)pick_weighted (gen, gen->channel_weights, N_CHANNELS);
  plan_order_number (gen, plan);

  plan->wholesale = plan->channel <= CH_WOOCOMMERCE && chance (gen, 0.03);
  plan->gift = chance (gen, 0.04);
  plan->vip = chance (gen, 0.025);
  plan_customer (gen, plan);

  if (chance (gen, channels[plan->channel].intl_share) && !plan->wholesale)
    plan_intl_address (gen, plan);
  else
    plan_us_address (gen, plan);
  plan->region = region_index (gen, ps_region_for_address (plan->country, plan->state));
  plan->zone = plan->intl ? plan->intl->zone : gen->region_zone[plan->region];
  plan->noncontiguous = plan->region == gen->noncontiguous_region;
  if (plan->intl == NULL && (plan->zone == 3 || plan->zone == 4) && chance (gen, 0.35))
    plan->zone += chance (gen, 0.5) ? -1 : 1;   /* zones follow ZIPs, not regions */

  plan->address_issue = chance (gen, 0.015);
  plan->address_message = plan->address_issue ? PICK (gen, address_messages) : NULL;

  plan_lines (gen, plan);
  for (guint i = 0; i < plan->n_lines; i++)
    goods_g += plan->lines[i].weight_grams * plan->lines[i].quantity;

  /* Payment and import. */
  plan->created_at = created_at;
  plan->paid_at = created_at + seconds_between (gen, 5, 180);
  if (created_at > gen->now - 2 * DAY && chance (gen, 0.03))
    unpaid = TRUE;
  else if (plan->channel == CH_EBAY && chance (gen, 0.05))
    plan->paid_at = created_at + seconds_between (gen, 2 * HOUR, 30 * HOUR);
  if (plan->paid_at > gen->now)
    unpaid = TRUE;
  if (unpaid)
    plan->paid_at = 0;
  plan->imported_at = created_at + seconds_between (gen, MINUTE, 15 * MINUTE);
  plan->imported_at = MAX (MIN (plan->imported_at, gen->now), created_at);

  /* Holds and cancellations happen before anything ships. */
  if (chance (gen, 0.015))
    {
      cancel_at = plan->imported_at + seconds_between (gen, HOUR, 40 * HOUR);
      cancelled = cancel_at <= gen->now;
      /* Cancelled before paying: never paid. */
      if (cancelled && plan->paid_at > cancel_at)
        {
          unpaid = TRUE;
          plan->paid_at = 0;
        }
    }
  if (!cancelled && !unpaid
      && ((plan->address_issue && created_at > gen->now - 5 * DAY)
          || (created_at > gen->now - 4 * DAY && chance (gen, 0.012))))
    {
      hold_at = MAX (plan->imported_at, plan->paid_at);
      hold_at += seconds_between (gen, 10 * MINUTE, 3 * HOUR);
      held = hold_at <= gen->now;
    }

  /* Shipments: which service, split or not, when the labels were bought. */
  plan->n_planned = 0;
  plan->n_ships = 0;
  if (!unpaid && !cancelled && !held)
    {
      const int *weights = plan->intl ? service_weights_intl
                           : goods_g < 450 ? service_weights_light
                           : service_weights_heavy;
      int service = (int)pick_weighted (gen, weights, N_SERVICES);
      gboolean split;
      guint split_at;

      /* Wholesale cartons go on the FedEx Ground account. */
      if (plan->wholesale && plan->intl == NULL)
        service = SVC_FEDEX_GROUND;
      split = plan->n_lines >= 2 && chance (gen, SPLIT_RATE_MULTI_LINE);
      split_at = split ? (guint)int_between (gen, 1, (int)plan->n_lines - 1) : plan->n_lines;

      ready = MAX (plan->paid_at, plan->imported_at);
      plan->n_planned = split ? 2 : 1;
      for (guint s = 0; s < plan->n_planned; s++)
        {
          ShipPlan *ship = &plan->ships[s];
          int ship_goods = 0;

          memset (ship, 0, G_STRUCT_OFFSET (ShipPlan, steps));
          ship->service = service;
          ship->first_line = s == 0 ? 0 : split_at;
          ship->n_lines = s == 0 ? split_at : plan->n_lines - split_at;
          for (guint i = ship->first_line; i < ship->first_line + ship->n_lines; i++)
            ship_goods += plan->lines[i].weight_grams * plan->lines[i].quantity;
          plan_parcel (ship, ship_goods);

          if (s == 0)
            ship->label_at = working_time (gen, ready
                                                + seconds_between (gen, 30 * MINUTE, 20 * HOUR));
          else   /* the back-ordered rest */
            ship->label_at = working_time (gen, plan->ships[0].label_at
                                                + seconds_between (gen, DAY, 4 * DAY));
        }
    }

  plan_money (gen, plan);

  /* Build and settle the shipments that exist by now. */
  for (guint s = 0; s < plan->n_planned; s++)
    {
      ShipPlan *ship = &plan->ships[s];
      int carrier = services[ship->service].carrier;
      g_autofree char *number = NULL;

      if (ship->label_at > gen->now)
        break;
      ship->rate_cents = shipment_rate (gen, plan, ship);
      number = ps_tracking_number_make (ps_tracking_format_for_carrier (carrier_ids[carrier]),
                                        gen->tracking_serial[carrier]++);
      g_strlcpy (ship->tracking, number, sizeof ship->tracking);
      plan_timeline (gen, plan, ship);
      settle_shipment (gen, ship);
      plan->n_ships++;
    }

  /* The order's history, as events, and its status now. */
  status = unpaid || plan->paid_at > plan->imported_at ? PS_ORDER_STATUS_AWAITING_PAYMENT
                                                        : PS_ORDER_STATUS_AWAITING_SHIPMENT;
  add_event (gen, plan->imported_at, PS_EVENT_TYPE_ORDER_IMPORTED, -1, FALSE, "import",
             "{\"channel\":\"%s\",\"order_number\":\"%s\"}",
             channels[plan->channel].name, plan->order_number);
  if (!unpaid && status == PS_ORDER_STATUS_AWAITING_PAYMENT)
    status_changed (gen, &status, PS_ORDER_STATUS_AWAITING_SHIPMENT, plan->paid_at, "import");
  if (cancelled)
    status_changed (gen, &status, PS_ORDER_STATUS_CANCELLED, cancel_at, "merchant");
  else if (held)
    status_changed (gen, &status, PS_ORDER_STATUS_ON_HOLD, hold_at, "merchant");
  replay_shipments (gen, plan, &status);

  plan->has_return = FALSE;
  if (status == PS_ORDER_STATUS_DELIVERED)
    plan_return (gen, plan);
  if (plan->has_return)
    {
      add_event (gen, plan->return_requested_at, PS_EVENT_TYPE_RETURN_REQUESTED, -1, TRUE,
                 "import", "{\"reason\":\"%s\",\"lines\":%u}",
                 ps_enum_to_nick (PS_TYPE_RETURN_REASON, plan->return_reason),
                 plan->return_n_lines);
      if (plan->return_received_at != 0)
        {
          add_event (gen, plan->return_received_at, PS_EVENT_TYPE_RETURN_RECEIVED, -1, TRUE,
                     "merchant", "{\"reason\":\"%s\"}",
                     ps_enum_to_nick (PS_TYPE_RETURN_REASON, plan->return_reason));
          if (plan->return_n_lines == plan->n_lines && plan->return_all_quantity)
            status_changed (gen, &status, PS_ORDER_STATUS_RETURNED, plan->return_received_at,
                            "merchant");
        }
    }
  plan->status = status;

  /* Notes: why an order is on hold, and the odd remark. */
  plan->note = NULL;
  if (held)
    {
      plan->note = plan->address_issue ? "Address failed validation; asked the customer to confirm."
                                       : PICK (gen, hold_notes);
      plan->note_at = hold_at;
    }
  else if (chance (gen, 0.02) || (plan->gift && chance (gen, 0.5)))
    {
      plan->note = plan->gift ? "Gift: include a gift receipt, no prices."
                              : PICK (gen, order_notes);
      plan->note_at = plan->imported_at + seconds_between (gen, 10 * MINUTE, 6 * HOUR);
      plan->note_at = MIN (plan->note_at, gen->now);
    }
  if (plan->note != NULL)
    add_event (gen, plan->note_at, PS_EVENT_TYPE_NOTE_ADDED, -1, FALSE, "merchant",
               "{\"author\":\"merchant\"}");
}

/* Writing an order */

static gboolean
write_order (Generator  *gen,
             GError    **error)
{
  OrderPlan *plan = &gen->plan;
  PsOrderFields fields = { 0 };
  gint64 order_id, first_line_id = 0, return_id = 0;
  gboolean express = FALSE;

  for (guint s = 0; s < plan->n_ships; s++)
    express |= services[plan->ships[s].service].tier == TIER_OVERNIGHT;

  fields.channel_name = channels[plan->channel].name;
  fields.channel_kind = channels[plan->channel].kind;
  fields.order_number = plan->order_number;
  fields.customer_name = plan->customer_name;
  fields.customer_email = plan->customer_email;
  fields.customer_phone = plan->customer_phone[0] ? plan->customer_phone : NULL;
  fields.ship_name = plan->ship_name;
  fields.ship_company = plan->ship_company[0] ? plan->ship_company : NULL;
  fields.ship_line1 = plan->ship_line1;
  fields.ship_line2 = plan->ship_line2[0] ? plan->ship_line2 : NULL;
  fields.ship_city = plan->city;
  fields.ship_state = plan->state;
  fields.ship_postcode = plan->postcode;
  fields.ship_country = plan->country;
  fields.address_issue = plan->address_issue;
  fields.address_message = plan->address_message;
  fields.status = plan->status;
  fields.priority = plan->vip || express ? 1 : 0;
  fields.currency = plan->currency;
  fields.subtotal_minor = plan->subtotal;
  fields.shipping_minor = plan->shipping;
  fields.tax_minor = plan->tax;
  fields.total_minor = plan->subtotal + plan->shipping + plan->tax;
  fields.created_at = plan->created_at;
  fields.paid_at = plan->paid_at;
  fields.imported_at = plan->imported_at;

  order_id = ps_order_writer_add_order (gen->writer, &fields, plan->lines, plan->n_lines,
                                        &first_line_id, error);
  if (order_id == 0)
    return FALSE;
  gen->stats.orders++;
  gen->stats.line_items += plan->n_lines;

  for (guint s = 0; s < plan->n_ships; s++)
    {
      ShipPlan *ship = &plan->ships[s];
      PsShipmentFields sf = { 0 };

      sf.order_id = order_id;
      sf.carrier = carrier_ids[services[ship->service].carrier];
      sf.service = services[ship->service].id;
      sf.tracking_number = ship->tracking;
      sf.tracking_status = ship->status;
      sf.exception_reason = ship->reason;
      sf.currency = "USD";
      sf.rate_minor = ship->rate_cents;
      sf.weight_grams = ship->weight_g;
      sf.length_mm = ship->length_mm;
      sf.width_mm = ship->width_mm;
      sf.height_mm = ship->height_mm;
      sf.label_created_at = ship->label_at;
      sf.first_scan_at = ship->first_scan_at;
      sf.estimated_delivery_at = ship->estimated_at;
      sf.delivered_at = ship->delivered_at;
      sf.next_track_at = ship->next_track_at;
      ship->id = ps_order_writer_add_shipment (gen->writer, &sf, error);
      if (ship->id == 0)
        return FALSE;
      gen->stats.shipments++;

      for (guint k = 0; k < ship->n_steps; k++)
        {
          const Step *step = &ship->steps[k];

          if (!ps_order_writer_add_tracking_event (gen->writer, ship->id, step->time, step->status,
                                                   step->reason, step->description,
                                                   step->location, error))
            return FALSE;
        }
      gen->stats.tracking_events += ship->n_steps;
    }

  if (plan->has_return)
    {
      return_id = ps_order_writer_add_return (gen->writer, order_id, plan->return_reason,
                                              plan->return_status, plan->return_requested_at,
                                              plan->return_received_at, plan->return_refunded_at,
                                              error);
      if (return_id == 0)
        return FALSE;
      gen->stats.returns++;
      for (guint i = plan->return_first_line;
           i < plan->return_first_line + plan->return_n_lines; i++)
        {
          int quantity = plan->return_all_quantity ? plan->lines[i].quantity : 1;

          if (!ps_order_writer_add_return_item (gen->writer, return_id,
                                                first_line_id + (gint64)i, quantity, error))
            return FALSE;
        }
    }

  /* The event log in time order (insertion sort: a few dozen at most). */
  for (guint i = 1; i < gen->n_events; i++)
    for (guint k = i; k > 0 && gen->events[k].time < gen->events[k - 1].time; k--)
      {
        PendingEvent tmp = gen->events[k];

        gen->events[k] = gen->events[k - 1];
        gen->events[k - 1] = tmp;
      }
  for (guint i = 0; i < gen->n_events; i++)
    {
      const PendingEvent *e = &gen->events[i];

      if (ps_order_writer_add_event (gen->writer, e->type, e->time, order_id,
                                     e->shipment >= 0 ? plan->ships[e->shipment].id : 0,
                                     e->is_return ? return_id : 0, e->actor, e->data,
                                     error) == 0)
        return FALSE;
    }
  gen->stats.events += gen->n_events;

  if ((plan->gift && !ps_order_writer_add_tag (gen->writer, order_id, "gift", error))
      || (plan->wholesale && !ps_order_writer_add_tag (gen->writer, order_id, "wholesale", error))
      || (plan->vip && !ps_order_writer_add_tag (gen->writer, order_id, "vip", error)))
    return FALSE;

  if (plan->note != NULL
      && !ps_order_writer_add_note (gen->writer, order_id, plan->note_at, "merchant", plan->note,
                                    error))
    return FALSE;

  return TRUE;
}

static gboolean
generate (Generator     *gen,
          guint          n_orders,
          guint64        seed,
          GCancellable  *cancellable,
          GError       **error)
{
  guint counts[HISTORY_DAYS];
  guint max_count = 0, done = 0;
  g_autofree gint64 *times = NULL;
  char value[32];

  distribute_orders (gen, n_orders, counts);
  for (int d = 0; d < HISTORY_DAYS; d++)
    max_count = MAX (max_count, counts[d]);
  times = g_new (gint64, MAX (max_count, 1));

  for (int d = 0; d < HISTORY_DAYS; d++)
    {
      day_times (gen, gen->start + d * DAY, counts[d], times);
      for (guint i = 0; i < counts[d]; i++, done++)
        {
          if (done % CHECK_EVERY == 0 && g_cancellable_set_error_if_cancelled (cancellable, error))
            return FALSE;
          plan_order (gen, times[i]);
          if (!write_order (gen, error))
            return FALSE;
        }
    }

  if (!ps_database_set_meta (gen->db, "demo", "1", error))
    return FALSE;
  g_snprintf (value, sizeof value, "%" G_GUINT64_FORMAT, seed);
  if (!ps_database_set_meta (gen->db, "demo_seed", value, error))
    return FALSE;
  g_snprintf (value, sizeof value, "%" G_GINT64_FORMAT, gen->now);
  return ps_database_set_meta (gen->db, "demo_now", value, error);
}

/* A demo shop can buy labels at once: the built-in sandbox carrier and
 * a ship-from address, unless the database already has its own. */
static gboolean
add_demo_shipping (PsDatabase  *db,
                   GError     **error)
{
  g_autoptr(GPtrArray) accounts = ps_shipping_store_list_accounts_sync (db, error);
  g_autoptr(PsAddress) from = NULL;
  g_autoptr(GError) local_error = NULL;

  if (accounts == NULL)
    return FALSE;
  if (accounts->len == 0 &&
      ps_shipping_store_add_account_sync (db, "sandbox", "Sandbox (demo carriers)",
                                          "{\"seed\":20261122}", error) == 0)
    return FALSE;

  /* A few packages to pick in the rate selector. */
  {
    g_autoptr(GPtrArray) presets = ps_shipping_store_list_presets_sync (db, error);
    static const PsPackagePreset demo_presets[] = {
      { 0, (char *)"Poly mailer", 330, 250, 20, 30 },
      { 0, (char *)"Small box", 200, 150, 100, 120 },
      { 0, (char *)"Medium box", 300, 250, 150, 250 },
    };

    if (presets == NULL)
      return FALSE;
    for (guint i = 0; presets->len == 0 && i < G_N_ELEMENTS (demo_presets); i++)
      if (ps_shipping_store_add_preset_sync (db, &demo_presets[i], error) == 0)
        return FALSE;
  }

  from = ps_shipping_store_get_ship_from_sync (db, &local_error);
  if (from != NULL)
    return TRUE;
  if (!g_error_matches (local_error, PS_SHIPPING_ERROR, PS_SHIPPING_ERROR_NO_SHIP_FROM))
    {
      g_propagate_error (error, g_steal_pointer (&local_error));
      return FALSE;
    }
  from = ps_address_new ();
  from->name = g_strdup ("Juniper & Pine");
  from->company = g_strdup ("Juniper & Pine Goods");
  from->line1 = g_strdup ("500 W 2nd St");
  from->city = g_strdup ("Austin");
  from->state = g_strdup ("TX");
  from->postcode = g_strdup ("78701");
  from->country = g_strdup ("US");
  from->phone = g_strdup ("+1 512 555 0142");
  return ps_shipping_store_set_ship_from_sync (db, "Workshop", from, error) != 0;
}

/* Public API */

/**
 * ps_demo_generate:
 * @db: an open #PsDatabase
 * @options: (nullable): what to generate; %NULL for the defaults
 * @stats: (out) (optional): what was written
 * @cancellable: (nullable): checked every 1000 orders
 * @error: return location for an error
 *
 * Writes a deterministic 90-day history ending at @options->now into @db,
 * in one transaction, and sets the meta keys `demo` = `1`, `demo_seed` and
 * `demo_now`. The database should hold no orders: generated order numbers
 * would collide with an earlier demo (purge first, as `postsale-cli demo
 * --replace` does). On error or cancellation nothing is written. Then it
 * indexes the new orders for search (ps_order_search_catch_up_sync()) in
 * a second transaction; should that fail, the orders stay and the next
 * catch-up indexes them.
 *
 * Worker thread only; from elsewhere use ps_demo_generate_async().
 *
 * Returns: %TRUE on success
 */
gboolean
ps_demo_generate (PsDatabase           *db,
                  const PsDemoOptions  *options,
                  PsDemoStats          *stats,
                  GCancellable         *cancellable,
                  GError              **error)
{
  static const PsDemoOptions defaults = PS_DEMO_OPTIONS_INIT;
  PsDemoOptions opts;
  Generator *gen;
  gboolean ok;

  g_return_val_if_fail (PS_IS_DATABASE (db), FALSE);
  g_return_val_if_fail (ps_database_is_worker_thread (db), FALSE);
  g_return_val_if_fail (error == NULL || *error == NULL, FALSE);

  opts = options != NULL ? *options : defaults;
  if (opts.n_orders == 0)
    opts.n_orders = PS_DEMO_DEFAULT_ORDERS;

  if (g_cancellable_set_error_if_cancelled (cancellable, error))
    return FALSE;
  if (!ps_database_begin (db, error))
    return FALSE;

  /* The generator holds the per-order scratch space; keep it off the
   * worker's stack. */
  gen = g_new (Generator, 1);
  generator_init (gen, db, &opts);
  gen->writer = ps_order_writer_new (db);
  /* Channel rows carry a creation time: pin it for identical output. */
  ps_order_writer_set_now (gen->writer, gen->now);

  ok = (!opts.replace || ps_order_writer_purge (gen->writer, error))
       && generate (gen, opts.n_orders, opts.seed, cancellable, error)
       && ps_database_commit (db, error);
  if (!ok)
    ps_database_rollback (db);
  else
    g_debug ("Generated %u orders, %u shipments, %u tracking events, %u events",
             gen->stats.orders, gen->stats.shipments, gen->stats.tracking_events,
             gen->stats.events);

  if (ok && stats != NULL)
    *stats = gen->stats;
  generator_clear (gen);
  g_free (gen);

  /* Leave the search index complete, so a demo database (and every
   * benchmark on one) starts indexed: one transaction, after the writer
   * is gone (it caches the index's watermark). */
  return ok && ps_order_search_catch_up_sync (db, 0, NULL, error) && add_demo_shipping (db, error);
}

static gpointer
generate_job (PsDatabase    *db,
              gpointer       data,
              GCancellable  *cancellable,
              GError       **error)
{
  g_autofree PsDemoStats *stats = g_new0 (PsDemoStats, 1);

  if (!ps_demo_generate (db, data, stats, cancellable, error))
    return NULL;
  return g_steal_pointer (&stats);
}

/**
 * ps_demo_generate_async:
 * @db: an open #PsDatabase
 * @options: (nullable): what to generate; copied
 * @cancellable: (nullable): a #GCancellable
 * @callback: called on the caller's thread-default main context
 * @user_data: data for @callback
 *
 * Runs ps_demo_generate() as a job on the database's worker thread. The
 * #GAsyncResult's source object is @db.
 */
void
ps_demo_generate_async (PsDatabase          *db,
                        const PsDemoOptions *options,
                        GCancellable        *cancellable,
                        GAsyncReadyCallback  callback,
                        gpointer             user_data)
{
  static const PsDemoOptions defaults = PS_DEMO_OPTIONS_INIT;
  PsDemoOptions *copy;

  g_return_if_fail (PS_IS_DATABASE (db));

  copy = g_memdup2 (options != NULL ? options : &defaults, sizeof *copy);
  ps_database_run_async (db, generate_job, copy, g_free, g_free, cancellable, callback, user_data);
}

/**
 * ps_demo_generate_finish:
 * @db: the #PsDatabase passed to ps_demo_generate_async()
 * @result: the #GAsyncResult
 * @error: return location for an error
 *
 * Returns: (transfer full) (nullable): what was written, free with
 *   g_free(); %NULL with @error set on failure or cancellation
 */
PsDemoStats *
ps_demo_generate_finish (PsDatabase    *db,
                         GAsyncResult  *result,
                         GError       **error)
{
  g_return_val_if_fail (PS_IS_DATABASE (db), NULL);

  return ps_database_run_finish (db, result, error);
}
