package io.leadflow.matching;

/**
 * The version of the rules that turn field values into exact-match keys (the normalisers, their word lists,
 * {@link MatchEngine#rekeyed}). An index built under one version holds keys that another may spell
 * differently (a name key that kept {@code 股份}, a Gmail address with its dots), and a lead spelled the
 * same way as before would no longer find them; an index records the version it was built with and is
 * re-keyed when it differs. {@code KeyRulesTest} holds the keys this version gives for several hundred
 * inputs and fails when any of them changes: then raise {@link #VERSION} and write the file again.
 */
public final class KeyRules {

    /**
     * 1: the first rules. 2: {@code 股份} ending a Chinese name is a legal form; documented e-mail aliases
     * (Gmail dots and {@code +tag}, Outlook, iCloud, Proton, Fastmail {@code +tag}) fold to the address. 3: a
     * leading region in brackets ({@code (北京)}) or written apart ({@code 北京 上海市…}) leads the name as one written
     * without them does (the regions after it fold their {@code 市}, a branch after it is split off), and a branch
     * marker with nothing before it does not hide the next one (names built from parts then key as their keys read
     * back); a Chinese trade name of three characters is also filed under its first and last ({@code 川*泰}), so that a
     * typo in its middle finds it (blocking units are not keys, but the re-key files every customer again).
     */
    public static final int VERSION = 3;

    private KeyRules() {}
}
