package io.leadflow.matching;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Where a record's strong keys say its company is: the administrative division of its credit code and the
 * area codes of its fixed-line phones ({@code region-codes.txt}). Used to refuse a name that matches only
 * apart from its region ({@code 星云科技} / {@code 天津星云科技}) when the record's own credit code or
 * switchboard is in another place: that is a conflicting strong key, not a missing region.
 */
final class RegionEvidence {

    static final RegionEvidence NONE = new RegionEvidence(null, List.of());

    private static final Map<String, Place> PLACES = places();

    private final String division;
    private final List<String> areaCodes;

    private RegionEvidence(String division, List<String> areaCodes) {
        this.division = division;
        this.areaCodes = areaCodes;
    }

    /** What {@code keys} say: the credit code's division (when a province's) and fixed-line area codes. */
    static RegionEvidence of(List<SourcedKey> keys) {
        String division = null;
        List<String> areaCodes = new ArrayList<>(1);
        for (SourcedKey sourced : keys) {
            MatchKey key = sourced.key();
            if (key.kind() == KeyKind.CREDIT_CODE && CreditCodes.isValid(key.value())) {
                String candidate = key.value().substring(2, 8);
                if (PLACES.values().stream().anyMatch(place -> candidate.startsWith(place.division()))) {
                    division = candidate;
                }
            } else if (key.kind() == KeyKind.PHONE) {
                String area = chineseAreaCode(key.value());
                if (area != null) {
                    areaCodes.add(area);
                }
            }
        }
        return division == null && areaCodes.isEmpty() ? NONE : new RegionEvidence(division, List.copyOf(areaCodes));
    }

    /**
     * The evidence as a customer's fingerprint carries it ({@code division;area,area}), so that a candidate's own
     * credit code or switchboard can refuse a record's region too; "" for none.
     */
    String encoded() {
        return this == NONE ? "" : (division == null ? "" : division) + ";" + String.join(",", areaCodes);
    }

    /** The evidence {@link #encoded()} wrote; NONE for "". */
    static RegionEvidence decode(String encoded) {
        int split = encoded.indexOf(';');
        if (split < 0) {
            return NONE;
        }
        String division = encoded.substring(0, split);
        String areas = encoded.substring(split + 1);
        return new RegionEvidence(
                division.isEmpty() ? null : division, areas.isEmpty() ? List.of() : List.of(areas.split(",")));
    }

    /** Whether this evidence puts the company somewhere other than {@code region} (a canonical region). */
    boolean contradicts(String region) {
        Place place = PLACES.get(region);
        if (place == null) {
            return false;
        }
        if (division != null && !division.startsWith(place.division())) {
            return true;
        }
        return !place.areaCodes().isEmpty()
                && areaCodes.stream().anyMatch(area -> !place.areaCodes().contains(area));
    }

    /** The area code with its trunk 0 of a Chinese fixed line in E.164 ({@code +862160000000} → 021); null else. */
    static String chineseAreaCode(String e164) {
        if (!e164.startsWith("+86") || e164.length() < 6) {
            return null;
        }
        String national = e164.substring(3);
        if (national.startsWith("10")) {
            return "010";
        }
        if (national.charAt(0) == '1') {
            return null; // a mobile number says nothing about where the company is
        }
        return "0" + national.substring(0, national.charAt(0) == '2' ? 2 : 3);
    }

    private record Place(String division, Set<String> areaCodes) {}

    private static Map<String, Place> places() {
        Map<String, Place> places = new HashMap<>();
        for (String line : Text.readList("region-codes.txt")) {
            String[] cells = line.split(" ");
            places.put(cells[0], new Place(cells[1], Set.of(Arrays.copyOfRange(cells, 2, cells.length))));
        }
        return Map.copyOf(places);
    }
}
