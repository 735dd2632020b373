package io.leadflow.matching;

import java.text.Normalizer;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Reduces a company name to its match key and tokens, so that spellings of one company meet and
 * different companies stay apart.
 *
 * <p>Rules, in order:
 *
 * <ol>
 *   <li>Fold: NFKC (full-width letters, digits, brackets), Traditional → Simplified Chinese
 *       (opencc4j), lower case; every bracket style becomes {@code ()}.
 *   <li>Branch: a branch is not its head office. The first branch marker ({@code 分公司 分行 支行
 *       营业部 办事处 …}, {@code branch}, {@code representative office}) splits the name; the branch
 *       part starts after the head's legal form, an open bracket, a comma, or at the region naming
 *       the branch ({@code 招商银行深圳南山支行} → branch {@code 深圳南山支行}). It is kept in the key as
 *       {@code head#branch}.
 *   <li>Legal forms are stripped from the end, repeatedly, Chinese ({@code 有限公司 股份有限公司
 *       集团有限公司 …}, also the words {@code 股份} and {@code 集团} left before another form: {@code
 *       股份有限责任公司}, {@code 股份集团有限公司}, {@code 股份股份有限公司}) and Latin ({@code Co., Ltd.}, {@code Inc.}, {@code GmbH & Co. KG}, {@code
 *       N.V.}, …), and bracketed ones ({@code (集团)}, {@code (有限合伙)}) wherever they stand.
 *   <li>Regions ({@code regions.txt}) at the start of the Chinese name, in brackets, or as Latin
 *       words become weak tokens in canonical short form ({@code 北京市} → {@code 北京}); they stay in
 *       the key. Regions in brackets or apart before the name lead it as if written into it: {@code
 *       (北京)上海市星云} and {@code 北京 上海市星云} are {@code 北京上海市星云}, for the branch split too.
 *   <li>A Chinese run is read as [trade name][industry words]: words of {@code industry-words.txt}
 *       are peeled off its end as weak tokens; what remains is the distinctive trade name. Latin
 *       words are weak when listed as regions or industry words. If every token is weak, the
 *       industry words count as distinctive ({@code 中国银行}); a name of regions only has no core.
 * </ol>
 *
 * Instances are immutable and thread-safe; the word lists load once.
 */
public final class CompanyNameNormalizer {

    private static final Set<String> REGIONS = Text.readList("regions.txt");
    private static final Set<String> INDUSTRY_WORDS = Text.readList("industry-words.txt");
    private static final List<String> CHINESE_REGIONS = byLengthDescending(
            REGIONS.stream().filter(CompanyNameNormalizer::isHan).toList());
    private static final List<String> CHINESE_INDUSTRY_WORDS = byLengthDescending(
            INDUSTRY_WORDS.stream().filter(CompanyNameNormalizer::isHan).toList());

    private static final List<String> CHINESE_LEGAL_FORMS = byLengthDescending(List.of(
            "集团股份有限公司",
            "集团有限责任公司",
            "集团有限公司",
            "股份有限公司",
            "有限责任公司",
            "有限公司",
            "集团公司",
            "股份公司",
            "总公司",
            "特殊普通合伙",
            "普通合伙",
            "有限合伙",
            "集团",
            "股份",
            "公司"));
    private static final Set<String> BRACKETED_LEGAL_FORMS = Set.of("集团", "股份", "有限合伙", "普通合伙", "特殊普通合伙");
    private static final List<List<String>> LATIN_LEGAL_FORMS = List.of(
            List.of("gmbh", "co", "kg"),
            List.of("co", "ltd"),
            List.of("co", "limited"),
            List.of("company", "limited"),
            List.of("pty", "ltd"),
            List.of("pte", "ltd"),
            List.of("pvt", "ltd"),
            List.of("private", "limited"),
            List.of("sdn", "bhd"),
            List.of("co", "kg"),
            List.of("ltd"),
            List.of("limited"),
            List.of("inc"),
            List.of("incorporated"),
            List.of("corp"),
            List.of("corporation"),
            List.of("llc"),
            List.of("llp"),
            List.of("lp"),
            List.of("gmbh"),
            List.of("ag"),
            List.of("kg"),
            List.of("nv"),
            List.of("bv"),
            List.of("sa"),
            List.of("sas"),
            List.of("sarl"),
            List.of("srl"),
            List.of("spa"),
            List.of("plc"),
            List.of("kk"),
            List.of("oy"),
            List.of("ab"),
            List.of("bhd"),
            List.of("ltda"),
            List.of("co"),
            List.of("company"));
    private static final List<String> CHINESE_BRANCH_MARKERS =
            List.of("分公司", "分行", "支行", "营业部", "办事处", "代表处", "分理处", "分店", "分厂", "分所", "分中心", "分院", "分校");
    private static final Pattern LATIN_BRANCH_MARKER =
            Pattern.compile("(?<![a-z])(branch|representative office|rep\\. office|liaison office)(?![a-z])");
    private static final Pattern LATIN_LEGAL_FORM_IN_TEXT = Pattern.compile(
            "(?<![a-z])(ltd|limited|inc|incorporated|corp|corporation|llc|l\\.l\\.c|gmbh|ag|plc|b\\.?v|n\\.?v|s\\.?a|sarl|kk|k\\.k)\\.?(?![a-z])");
    private static final Pattern ADMINISTRATIVE_SUFFIX = Pattern.compile("^(维吾尔自治区|壮族自治区|回族自治区|特别行政区|自治区|省|市|区|县)");

    /** Whether {@code token} is a region in its canonical form ({@code 北京}, {@code shanghai}). */
    static boolean isRegion(String token) {
        return REGIONS.contains(token);
    }

    /** Whether {@code token} is an industry word ({@code 科技}, {@code trading}). */
    static boolean isIndustryWord(String token) {
        return INDUSTRY_WORDS.contains(token);
    }

    /** Normalises {@code raw}; a blank or nameless input gives a name without core and an empty key. */
    public NormalizedName normalize(String raw) {
        if (Text.isBlank(raw)) {
            return NormalizedName.empty();
        }
        String folded = fold(raw);
        String[] headAndBranch = splitBranch(folded);
        Optional<String> branch = Optional.ofNullable(headAndBranch[1]).map(CompanyNameNormalizer::canonicalBranch);
        branch = branch.filter(b -> !b.isEmpty());

        List<Segment> segments = segments(headAndBranch[0]);
        List<String> legalForms = new ArrayList<>();
        stripLegalForms(segments, legalForms);
        if (segments.size() > 1
                && !segments.get(0).han()
                && segments.get(0).text().equals("the")) {
            segments.remove(0);
        }

        List<String> tokens = new ArrayList<>();
        Set<String> weak = new LinkedHashSet<>();
        Set<String> regions = new LinkedHashSet<>();
        StringBuilder key = new StringBuilder();
        boolean first = true;
        for (Segment segment : segments) {
            if (segment.han()) {
                String text = segment.text();
                if (segment.bracketed()) {
                    String region = canonicalRegion(text);
                    if (region != null) {
                        addRegion(region, tokens, regions, key);
                        // (北京)上海市星云 reads as 北京上海市星云 does: the regions after it still lead the name.
                        continue;
                    } else {
                        tokens.add(text);
                        key.append(text);
                    }
                } else {
                    if (first) {
                        text = consumeLeadingRegions(text, tokens, regions, key);
                        if (text.isEmpty()) {
                            // 北京 上海市星云 reads as 北京上海市星云 does.
                            continue;
                        }
                    }
                    splitTradeNameAndIndustry(text, tokens, weak, key);
                }
            } else {
                String word = segment.text();
                tokens.add(word);
                key.append(word);
                if (REGIONS.contains(word)) {
                    regions.add(word);
                } else if (INDUSTRY_WORDS.contains(word)) {
                    weak.add(word);
                }
            }
            first = false;
        }
        boolean hasDistinctive = tokens.stream().anyMatch(t -> !weak.contains(t) && !regions.contains(t));
        if (!hasDistinctive) {
            weak.clear();
        }
        weak.addAll(regions);
        boolean hasCore = tokens.stream().anyMatch(t -> !weak.contains(t));
        if (!hasCore) {
            return new NormalizedName("", tokens, weak, branch, String.join(" ", legalForms));
        }
        String fullKey = key + branch.map(b -> "#" + b).orElse("");
        return new NormalizedName(fullKey, tokens, weak, branch, String.join(" ", legalForms));
    }

    static String fold(String raw) {
        String nfkc = Normalizer.normalize(raw, Normalizer.Form.NFKC);
        String simplified = Simplified.of(nfkc);
        return unifyPunctuation(simplified.toLowerCase(Locale.ROOT)).strip();
    }

    /**
     * Every bracket becomes {@code (} or {@code )}, every list separator {@code ,}, every run of white space ({@code
     * \s}: space, tab, line feed, vertical tab, form feed, carriage return) one space; in one pass, where four
     * {@code replaceAll} calls compiled their four patterns again for every name.
     */
    static String unifyPunctuation(String text) {
        StringBuilder unified = new StringBuilder(text.length());
        boolean inSpace = false;
        for (int i = 0; i < text.length(); i++) {
            char c = text.charAt(i);
            boolean space = c == ' ' || c == '\t' || c == '\n' || c == '\u000B' || c == '\f' || c == '\r';
            if (space) {
                if (!inSpace) {
                    unified.append(' ');
                }
            } else {
                unified.append(
                        switch (c) {
                            case '[', '{', '【', '〔', '〖', '〈', '《', '「', '『' -> '(';
                            case ']', '}', '】', '〕', '〗', '〉', '》', '」', '』' -> ')';
                            case '、', '，', ';', '；' -> ',';
                            default -> c;
                        });
            }
            inSpace = space;
        }
        return unified.toString();
    }

    // ---- branch

    /** Returns {head, branch-or-null}. */
    private static String[] splitBranch(String name) {
        int marker = firstBranchMarker(name);
        if (marker <= 0) {
            return new String[] {name, null};
        }
        String before = name.substring(0, marker);
        int start = branchStart(before);
        String head = before.substring(0, start);
        if (segments(head).isEmpty()) {
            return new String[] {name, null};
        }
        return new String[] {head, name.substring(start)};
    }

    /** The first branch marker with a letter or digit before it (a marker with no head before it is no branch). */
    private static int firstBranchMarker(String name) {
        int head = 0;
        while (head < name.length() && !Character.isLetterOrDigit(name.charAt(head))) {
            head++;
        }
        int from = Math.min(head + 1, name.length());
        int best = -1;
        for (String marker : CHINESE_BRANCH_MARKERS) {
            int at = name.indexOf(marker, from);
            if (at >= 0 && (best < 0 || at < best)) {
                best = at;
            }
        }
        Matcher latin = LATIN_BRANCH_MARKER.matcher(name);
        if (latin.find(from) && (best < 0 || latin.start() < best)) {
            best = latin.start();
        }
        return best;
    }

    private static int branchStart(String before) {
        int depth = 0;
        int openAt = -1;
        for (int i = 0; i < before.length(); i++) {
            char c = before.charAt(i);
            if (c == '(') {
                if (depth == 0) {
                    openAt = i;
                }
                depth++;
            } else if (c == ')' && depth > 0) {
                depth--;
            }
        }
        if (depth > 0) {
            return openAt;
        }
        int legalEnd = before.lastIndexOf("公司");
        legalEnd = legalEnd >= 0 ? legalEnd + 2 : -1;
        Matcher latin = LATIN_LEGAL_FORM_IN_TEXT.matcher(before);
        while (latin.find()) {
            legalEnd = Math.max(legalEnd, latin.end());
        }
        if (legalEnd > 0) {
            return legalEnd;
        }
        int comma = before.lastIndexOf(',');
        if (comma > 0) {
            return comma + 1;
        }
        int region = branchRegionStart(before);
        return region > 0 ? region : before.length();
    }

    /**
     * Where the region naming a branch starts: the last region before the marker, extended back over
     * regions directly before it (中国银行上海市浦东新区支行 → 上海市浦东新区); never the name's leading region.
     */
    private static int branchRegionStart(String text) {
        int from = 0;
        for (int leading = leadingRegionLength(text, from); leading > 0; leading = leadingRegionLength(text, from)) {
            from += leading;
        }
        from = Math.max(from, 1);
        List<int[]> occurrences = new ArrayList<>();
        for (String region : REGIONS) {
            for (int at = text.indexOf(region, from); at >= 0; at = text.indexOf(region, at + 1)) {
                if (isHan(region)) {
                    occurrences.add(new int[] {
                        at, at + leadingRegion(text.substring(at)).length()
                    });
                } else if (isWordAt(text, at, region.length())) {
                    occurrences.add(new int[] {at, at + region.length()});
                }
            }
        }
        int start = occurrences.stream().mapToInt(o -> o[0]).max().orElse(-1);
        boolean extended = start > 0;
        while (extended) {
            extended = false;
            for (int[] occurrence : occurrences) {
                int end = occurrence[1];
                int gap = start - end;
                if (occurrence[0] < start
                        && gap >= 0
                        && text.substring(end, start).isBlank()) {
                    start = occurrence[0];
                    extended = true;
                    break;
                }
            }
        }
        return start;
    }

    /**
     * The length of the region at {@code from}, as written ({@code 上海市}, {@code shanghai}) or in brackets ({@code
     * (北京)}), with the spaces and punctuation before it ({@code &上海市}); 0 if none.
     */
    private static int leadingRegionLength(String text, int from) {
        int at = from;
        while (at < text.length() && isSeparator(text.charAt(at))) {
            at++;
        }
        String region = leadingRegion(text.substring(at));
        if (region != null) {
            return at + region.length() - from;
        }
        int wordEnd = at;
        while (wordEnd < text.length() && isAsciiLetter(text.charAt(wordEnd))) {
            wordEnd++;
        }
        if (wordEnd > at && REGIONS.contains(text.substring(at, wordEnd))) {
            return wordEnd - from;
        }
        int close = text.startsWith("(", at) ? text.indexOf(')', at) : -1;
        return close > 0 && canonicalRegion(text.substring(at + 1, close)) != null ? close + 1 - from : 0;
    }

    private static boolean isAsciiLetter(char c) {
        return c >= 'a' && c <= 'z';
    }

    /** Neither a letter, a digit nor a bracket: what segmentation drops between words. */
    private static boolean isSeparator(char c) {
        return !Character.isLetterOrDigit(c) && c != '(' && c != ')';
    }

    private static boolean isWordAt(String text, int at, int length) {
        boolean startOk = at == 0 || !Character.isLetter(text.charAt(at - 1));
        int end = at + length;
        boolean endOk = end == text.length() || !Character.isLetter(text.charAt(end));
        return startOk && endOk;
    }

    private static String canonicalBranch(String branch) {
        StringBuilder out = new StringBuilder();
        for (Segment segment : segments(branch)) {
            String text = segment.text();
            if (segment.han()) {
                StringBuilder rest = new StringBuilder(text);
                StringBuilder canonical = new StringBuilder();
                while (!rest.isEmpty()) {
                    String region = leadingRegion(rest.toString());
                    if (region != null) {
                        canonical.append(canonicalRegion(region));
                        rest.delete(0, region.length());
                    } else {
                        canonical.append(rest.charAt(0));
                        rest.deleteCharAt(0);
                    }
                }
                out.append(canonical);
            } else {
                out.append(text);
            }
        }
        return out.toString();
    }

    // ---- legal forms

    private static void stripLegalForms(List<Segment> segments, List<String> stripped) {
        segments.removeIf(s -> s.bracketed() && BRACKETED_LEGAL_FORMS.contains(s.text()));
        boolean changed = true;
        while (changed && !segments.isEmpty()) {
            changed = false;
            Segment last = segments.get(segments.size() - 1);
            if (last.han()) {
                for (String form : CHINESE_LEGAL_FORMS) {
                    if (last.text().endsWith(form)) {
                        String rest = last.text().substring(0, last.text().length() - form.length());
                        segments.remove(segments.size() - 1);
                        if (!rest.isEmpty()) {
                            segments.add(new Segment(rest, true, last.bracketed()));
                        }
                        stripped.add(0, form);
                        changed = true;
                        break;
                    }
                }
            } else {
                for (List<String> form : LATIN_LEGAL_FORMS) {
                    if (endsWithWords(segments, form)) {
                        for (int i = 0; i < form.size(); i++) {
                            segments.remove(segments.size() - 1);
                        }
                        stripped.add(0, String.join(" ", form));
                        changed = true;
                        break;
                    }
                }
            }
        }
    }

    private static boolean endsWithWords(List<Segment> segments, List<String> words) {
        int offset = segments.size() - words.size();
        if (offset < 0) {
            return false;
        }
        for (int i = 0; i < words.size(); i++) {
            Segment segment = segments.get(offset + i);
            if (segment.han() || !segment.text().equals(words.get(i))) {
                return false;
            }
        }
        return true;
    }

    // ---- regions and industry words

    private static String consumeLeadingRegions(
            String text, List<String> tokens, Set<String> regions, StringBuilder key) {
        String rest = text;
        String region = leadingRegion(rest);
        while (region != null) {
            addRegion(canonicalRegion(region), tokens, regions, key);
            rest = rest.substring(region.length());
            region = leadingRegion(rest);
        }
        return rest;
    }

    private static void addRegion(String region, List<String> tokens, Set<String> regions, StringBuilder key) {
        tokens.add(region);
        regions.add(region);
        key.append(region);
    }

    /** The region at the start of {@code text} including its administrative suffix, as written; or null. */
    private static String leadingRegion(String text) {
        for (String region : CHINESE_REGIONS) {
            if (text.startsWith(region)) {
                String after = text.substring(region.length());
                Matcher suffix = ADMINISTRATIVE_SUFFIX.matcher(after);
                // 上海市场 is 上海 + 市场 (market), not 上海市 + 场.
                if (suffix.find() && !after.startsWith("市场")) {
                    return region + suffix.group(1);
                }
                return region;
            }
        }
        return null;
    }

    /** The canonical short form when {@code text} is exactly one region (with optional suffix), else null. */
    private static String canonicalRegion(String text) {
        String region = leadingRegion(text);
        if (region == null || region.length() != text.length()) {
            return REGIONS.contains(text) ? text : null;
        }
        for (String candidate : CHINESE_REGIONS) {
            if (text.startsWith(candidate)) {
                return candidate;
            }
        }
        return null;
    }

    private static void splitTradeNameAndIndustry(
            String text, List<String> tokens, Set<String> weak, StringBuilder key) {
        key.append(text);
        List<String> industry = new ArrayList<>();
        String rest = text;
        boolean peeled = true;
        while (peeled && !rest.isEmpty()) {
            peeled = false;
            for (String word : CHINESE_INDUSTRY_WORDS) {
                if (rest.endsWith(word)) {
                    industry.add(0, word);
                    rest = rest.substring(0, rest.length() - word.length());
                    peeled = true;
                    break;
                }
            }
        }
        if (!rest.isEmpty()) {
            tokens.add(rest);
        }
        tokens.addAll(industry);
        weak.addAll(industry);
    }

    // ---- segmentation

    /** A run of Han characters, or one Latin/digit word; bracketed when inside (). */
    private record Segment(String text, boolean han, boolean bracketed) {}

    private static List<Segment> segments(String text) {
        List<Segment> segments = new ArrayList<>();
        StringBuilder current = new StringBuilder();
        boolean currentHan = false;
        int depth = 0;
        for (int i = 0; i < text.length(); ) {
            int cp = text.codePointAt(i);
            int next = i + Character.charCount(cp);
            boolean han = Character.UnicodeScript.of(cp) == Character.UnicodeScript.HAN;
            if (han || Character.isLetterOrDigit(cp)) {
                if (!current.isEmpty() && han != currentHan) {
                    flush(segments, current, currentHan, depth > 0);
                }
                current.appendCodePoint(cp);
                currentHan = han;
            } else if ((cp == '.' && isInitial(text, i, current, currentHan)) || cp == '\'' || cp == '’') {
                // l.l.c. → llc, n.v. → nv, o'neil → oneil: one word.
            } else {
                flush(segments, current, currentHan, depth > 0);
                if (cp == '(') {
                    depth++;
                } else if (cp == ')' && depth > 0) {
                    depth--;
                }
            }
            i = next;
        }
        flush(segments, current, currentHan, depth > 0);
        return segments;
    }

    /** A dot joins single letters (l.l.c, s.a.s) but ends longer words (co.ltd). */
    private static boolean isInitial(String text, int dot, StringBuilder current, boolean currentHan) {
        if (current.isEmpty() || currentHan || dot < 1 || dot + 1 >= text.length()) {
            return false;
        }
        boolean singleBefore = Character.isLetter(text.charAt(dot - 1))
                && (dot < 2 || !Character.isLetterOrDigit(text.charAt(dot - 2)));
        boolean singleAfter = Character.isLetter(text.charAt(dot + 1))
                && (dot + 2 >= text.length() || !Character.isLetterOrDigit(text.charAt(dot + 2)));
        return singleBefore && singleAfter;
    }

    private static void flush(List<Segment> segments, StringBuilder current, boolean han, boolean bracketed) {
        if (!current.isEmpty()) {
            segments.add(new Segment(current.toString(), han, bracketed));
            current.setLength(0);
        }
    }

    private static boolean isHan(String text) {
        return !text.isEmpty()
                && text.codePoints().allMatch(cp -> Character.UnicodeScript.of(cp) == Character.UnicodeScript.HAN);
    }

    private static List<String> byLengthDescending(List<String> words) {
        return words.stream()
                .sorted(Comparator.comparingInt(String::length).reversed().thenComparing(Comparator.naturalOrder()))
                .toList();
    }
}
