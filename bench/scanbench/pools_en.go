package main

// pools maps a template slot to its choices; choices may contain slots.
type pools map[string][]string

func poolsFor(lang string) pools {
	switch lang {
	case "zh-Hans":
		return zhHansPools
	case "zh-Hant":
		return zhHantPools
	case "es":
		return esPools
	default:
		return enPools
	}
}

// commonPools are shared by every language: emoji, hashtags and tails.
var commonPools = pools{
	"tail":  {"{emoji}", "{emoji}{emoji}", "#{tag}", "#{tag} #{tag}", "{emoji} #{tag}", "lol", "haha", "😂😂", "…", "!!", "(edited)"},
	"emoji": {"😂", "😅", "🙏", "🎉", "❤️", "🔥", "👍", "😭", "🥲", "☕", "🌧️", "☀️", "🍜", "🐶", "🐱", "🚗", "✈️", "📚", "🎂", "⚽", "🏀", "🎶", "😴", "🤔", "👀", "💪", "🌸", "🍕", "🥟", "🧧"},
	"tag":   {"monday", "foodie", "travel", "weekend", "tbt", "family", "workfromhome", "gym", "coffee", "sunset", "booklover", "petsofinstagram", "nofilter", "rainyday", "goals", "dim sum", "vacaciones", "美食", "周末", "旅行", "日常", "週末"},
}

var enPools = pools{
	"benign": {
		"Just finished {activity} and I am {feeling}.",
		"Anyone know a good {food} place near {place}?",
		"{name} and I are going to {place} on {day}, want to come?",
		"The {thing} I ordered arrived {adj2} and I'm {feeling}.",
		"Reminder: {event} is on {day} at {clock}, bring {bring}.",
		"Can't believe it's already {month}. Time flies.",
		"Tried {food} from that new spot on {street} Street, {verdict}.",
		"{weather} again in {city}. {weatherTake}",
		"My {pet} just {petAct} {emojiPlain}",
		"Selling my old {thing}, barely used, ${price} or best offer. DM me.",
		"Watching {show} for the {nth} time and it still gets me.",
		"Traffic on {road} is terrible right now, avoid if you can.",
		"Happy birthday {name}! Hope your {selfage} self would be proud.",
		"Does anyone have notes from {course} lecture {n}?",
		"We need {n} more players for {sport} on {day}, {clock} at {place}.",
		"Booked flights to {city} for {month}! Any tips on what to eat?",
		"Our {team} lost again. {sportsTake}",
		"Lunch today: {food} and {food}. Not bad for ${price}.",
		"Finally fixed the {thing} after {n} hours of YouTube tutorials.",
		"Study group moved to {place}, room {nn}.",
		"Quick poll: {food} or {food} for dinner tonight?",
		"The library at {place} has free {freebie} this {day}.",
		"Landlord says the water will be off {day} from {hour} to {hour}.",
		"{name} recommended {book} and I could not put it down.",
		"Our band plays {place} on {day}, doors at {clock}. Come say hi!",
		"Lost a {color} {thing} near {place}. If found please message me.",
		"Grandma's {food} recipe: the secret is {secret}.",
		"Gym was packed at {clock}, guess everyone has new year goals.",
		"Power is back in our neighbourhood, thanks to the crews working all night.",
		"Hiring part time barista at {place}, weekends, ${nn}/hr plus tips.",
		"Bank app was down for an hour this morning, anyone else?",
		"Exchange rate is {rate} today, good time to send money home for tuition via the bank?",
		"News: police in {city} arrested {n} people in a money laundering case, prosecutors said.",
		"Moving sale: {thing}, {thing} and a {color} {thing}. Pick up only, {street} St.",
		"Volunteers needed for the {event} cleanup on {day}. Gloves provided.",
		"Week {n} of learning {skill}. {progress}",
		"Our {pet} turned {n} today {emojiPlain}",
		"Is the {road} exit still closed for construction?",
		"Queen size sheets on sale at {store}, {nn}% off until {day}.",
		"The farmers market had the best {fruit} this morning.",
	},
	"activity":    {"a 10k run", "my taxes", "painting the kitchen", "the group project", "a double shift", "spring cleaning", "the first draft", "assembling the desk", "a long hike", "meal prep for the week", "my final exam", "the puzzle"},
	"feeling":     {"exhausted", "so proud", "starving", "ready for bed", "weirdly happy", "done with today", "kind of emotional", "hungry again"},
	"food":        {"ramen", "tacos", "pho", "dumplings", "pizza", "bbq", "sushi", "curry", "banh mi", "bagels", "hot pot", "pancakes", "burritos", "dim sum", "falafel", "fried chicken", "noodle soup", "paella"},
	"place":       {"the park", "downtown", "Union Square", "the mall", "the old station", "campus", "the lake", "Main Street", "the pier", "Chinatown", "the community center", "Riverside", "the north library"},
	"name":        {"Sam", "Priya", "Jordan", "Mei", "Luis", "Aisha", "Tom", "Grace", "Kenji", "Olivia", "Marcus", "Hannah", "Wei", "Carlos", "Zoe", "Ben", "Fatima", "Noah"},
	"day":         {"Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday", "Sunday", "tomorrow", "tonight", "next weekend"},
	"month":       {"March", "April", "May", "June", "July", "August", "September", "October", "November", "December"},
	"thing":       {"blender", "bike", "laptop stand", "desk lamp", "coffee maker", "printer", "guitar", "air fryer", "bookshelf", "monitor", "backpack", "rice cooker", "phone case", "headphones", "sofa"},
	"adj2":        {"a week late", "in one piece", "smaller than expected", "in the wrong color", "already scratched", "early"},
	"event":       {"the bake sale", "parent night", "the neighborhood meeting", "trivia night", "the 5k fun run", "movie night", "the potluck", "choir practice"},
	"bring":       {"a chair", "snacks", "your own cup", "a friend", "cash for raffle tickets", "warm clothes"},
	"street":      {"Oak", "Maple", "5th", "Pine", "Elm", "Grand", "Mission", "Lincoln", "Cedar", "Broadway"},
	"verdict":     {"ten out of ten", "overpriced but good", "would not go back", "the portions are huge", "worth the line", "pretty average honestly"},
	"city":        {"Seattle", "Houston", "Chicago", "Denver", "Boston", "Vancouver", "Phoenix", "Atlanta", "Toronto", "San Diego", "Miami", "Portland"},
	"weather":     {"Rain", "Snow", "Fog", "A heat wave", "Wind", "Hail"},
	"weatherTake": {"I give up.", "Perfect soup weather.", "My umbrella did not survive.", "Stay safe out there.", "Kids are thrilled."},
	"pet":         {"cat", "dog", "parrot", "hamster", "puppy", "rabbit"},
	"petAct":      {"knocked my coffee over", "learned to open the fridge", "fell asleep on my keyboard", "stole a sock again", "met the mailman"},
	"emojiPlain":  {"😂", "🐾", "❤️", "🙈", ""},
	"show":        {"The Office", "that baking show", "the finale", "Spirited Away", "the documentary about octopuses", "season two"},
	"nth":         {"third", "fifth", "tenth", "second"},
	"road":        {"I-5", "the 101", "Route 9", "the bridge", "Highway 7", "the ring road"},
	"selfage":     {"younger", "thirty", "twenty", "future"},
	"course":      {"chemistry", "stats", "econ", "art history", "biology", "intro to CS"},
	"sport":       {"pickup soccer", "basketball", "volleyball", "softball", "ultimate"},
	"team":        {"team", "Sharks", "Bears", "home team", "squad"},
	"sportsTake":  {"Next season for sure.", "The defense was asleep.", "At least the hot dogs were good.", "I need a new hobby."},
	"freebie":     {"tax help", "coding classes", "museum passes", "seed packets", "flu shots"},
	"book":        {"a mystery novel", "that memoir", "a book about bridges", "the sci-fi series", "a cookbook"},
	"color":       {"black", "blue", "red", "grey", "green", "white"},
	"secret":      {"more butter", "patience", "a pinch of sugar", "letting it rest overnight", "fresh ginger"},
	"skill":       {"guitar", "Spanish", "Mandarin", "pottery", "knitting", "chess"},
	"progress":    {"My neighbors are very patient.", "Slowly getting there.", "Still terrible but having fun.", "Learned three chords!"},
	"store":       {"the outlet", "Target", "the department store", "the home store"},
	"fruit":       {"peaches", "strawberries", "apples", "cherries", "plums"},

	"ad": {
		"{mlEn} {mlEn2}, rate {rate}, {mlEn3}.",
		"{bcEn}. {bcEn2}.",
		"{ccEn} {ccEn2}, {ccEn3}.",
		"{drEn} {drEn2}. {drEn3}",
		"{prEn} {prEn2}, {prEn3}.",
	},
	"mlEn":    {"Mirror trade USD to CNY", "Swap USD/CNY same day", "Tuition payment service", "We receive and forward, you keep 5%", "Buying bank accounts", "Need company accounts"},
	"mlEn2":   {"no forms no questions", "no 50k limit", "funds land in China same day", "any amount", "cash in LA paid out in Guangzhou"},
	"mlEn3":   {"discreet", "trusted for {n} years", "serious only", "big tickets welcome"},
	"bcEn":    {"Cash pickup tonight in {city}", "Need runners for cash drops", "Token bill $1 serial to confirm", "We count with a counting machine and vacuum seal", "Swap small bills for hundreds"},
	"bcEn2":   {"paid per bag", "duffels only", "deposits under 10k at several branches", "${big} per trip", "undeclared, border runs weekly"},
	"ccEn":    {"USDT to cash", "OTC any size", "Clean your coins", "Buying flagged wallet funds", "Buy verified exchange accounts"},
	"ccEn2":   {"no KYC", "no real name", "cash meet in {city}", "rate {rate}"},
	"ccEn3":   {"TRC20 only", "fast and private", "{big}k per ticket", "no questions"},
	"drEn":    {"Blues M30s pressed", "Perc 30s in stock", "Dirty 30s available", "Fetty on hand", "💊🔵 plug in {city}"},
	"drEn2":   {"not pharmacy", "100+ ready", "by the boat", "${nn} each", "same day drop"},
	"drEn3":   {"Serious buyers only.", "Menu on request 🔌", "Discreet delivery.", ""},
	"prEn":    {"Hot sale NPP 39742-60-4", "ANPP powder 21409-26-7 in stock", "4-AP purity 99%", "1-boc-4-piperidone 79099-07-3 factory price", "Norfentanyl bulk, {nn} kg ready"},
	"prEn2":   {"safe delivery to Mexico", "customs clearance guaranteed", "100% stealth", "reship if seized"},
	"prEn3":   {"pay in USDT", "DDP Mexico", "free samples for big orders", "door to door"},
	"contact": {"TG @{handle}", "Telegram @{handle}", "WA {phone_us}", "text {phone_us}", "hmu on sig", "email {email}", "t.me/{handle}", "WhatsApp {phone_mx}"},
}
