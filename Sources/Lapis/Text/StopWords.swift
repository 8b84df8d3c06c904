/// An English stop-word list written for news text.
///
/// Function words that carry no topic: articles, pronouns, auxiliaries, prepositions,
/// conjunctions and a few reporting verbs' fillers. Kept deliberately short: words such as
/// "trade", "security" or "new" are never stop words here.
public enum StopWords {
    /// The default English list (lower-case).
    public static let english: Set<String> = [
        "a", "about", "above", "after", "again", "against", "all", "also", "am", "an", "and",
        "any", "are", "as", "at", "be", "because", "been", "before", "being", "below", "between",
        "both", "but", "by", "can", "could", "did", "do", "does", "doing", "down", "during",
        "each", "either", "else", "ever", "every", "few", "for", "from", "further", "had", "has",
        "have", "having", "he", "her", "here", "hers", "herself", "him", "himself", "his", "how",
        "however", "i", "if", "in", "into", "is", "it", "its", "itself", "just", "may", "me",
        "might", "more", "most", "much", "must", "my", "myself", "neither", "no", "nor", "not",
        "now", "of", "off", "on", "once", "only", "or", "other", "others", "ought", "our", "ours",
        "ourselves", "out", "over", "own", "per", "rather", "same", "shall", "she", "should",
        "since", "so", "some", "such", "than", "that", "the", "their", "theirs", "them",
        "themselves", "then", "there", "therefore", "these", "they", "this", "those", "though",
        "through", "thus", "to", "too", "under", "until", "up", "upon", "us", "very", "was", "we",
        "were", "what", "whatever", "when", "where", "whereas", "whether", "which", "while",
        "who", "whom", "whose", "why", "will", "with", "within", "without", "would", "yet",
        "you", "your", "yours", "yourself", "yourselves", "said", "says", "say", "told",
        "according", "mr", "mrs", "ms", "s", "t", "d", "ll", "m", "re", "ve", "don't", "didn't",
        "doesn't", "isn't", "wasn't", "weren't", "won't", "wouldn't", "can't", "cannot",
        "couldn't", "shouldn't", "haven't", "hasn't", "hadn't", "aren't", "it's", "i'm",
        "he's", "she's", "that's", "there's", "they're", "we're", "you're", "i've", "we've",
        "they've", "i'd", "we'd", "they'd", "he'd", "she'd", "i'll", "we'll", "they'll",
        "he'll", "she'll", "let's", "who's", "what's", "also", "around", "among", "amid",
        "along", "onto", "toward", "towards", "via",
    ]
}
