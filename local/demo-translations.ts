/** The demo menu in Hindi: dish names and descriptions, modifier groups and options, categories, stations and floors. */
import type { MenuItemTranslation, NameTranslation } from '../functions/data/documents.ts';

const GROUPS = { portion: 'पोर्शन', extras: 'एक्स्ट्रा', style: 'स्टाइल' };
const OPTIONS: Record<string, string> = {
  half: 'हाफ़',
  full: 'फ़ुल',
  'extra-gravy': 'ज़्यादा ग्रेवी',
  cream: 'ज़्यादा क्रीम',
  tofu: 'टोफ़ू डालें',
  chicken: 'चिकन डालें',
  egg: 'अंडा डालें',
  prawns: 'झींगे डालें',
  raita: 'रायता',
  salan: 'मिर्ची का सालन',
  plain: 'सादा',
  garlic: 'लहसुन',
  cheese: 'चीज़',
  'ice-cream': 'वनीला आइसक्रीम',
  sweet: 'मीठा',
  salted: 'नमकीन',
  mixed: 'मिक्स',
};

/** English dish name → [Hindi name, Hindi description]. */
const DISHES: Record<string, [string, string]> = {
  'Vegetable Samosa': ['वेज समोसा', 'मसालेदार आलू-मटर भरा कुरकुरा समोसा, इमली और पुदीने की चटनी के साथ।'],
  'Chilli Paneer': ['चिली पनीर', 'शिमला मिर्च और हरे प्याज़ के साथ चिली-गार्लिक सॉस में पनीर।'],
  'Korean Chicken Lollipop': ['कोरियन चिकन लॉलीपॉप', 'दो बार तले चिकन विंग्स, गोचुजांग और तिल के ग्लेज़ के साथ।'],
  'Crispy Corn Pepper Salt': ['क्रिस्पी कॉर्न पेपर सॉल्ट', 'काली मिर्च, नमक और करी पत्ते के साथ कुरकुरे तले मक्के के दाने।'],
  'Prawn Tempura': ['प्रॉन टेम्पुरा', 'हल्के टेम्पुरा घोल में टाइगर झींगे, पोंज़ू डिप के साथ।'],
  'Paneer Tikka': ['पनीर टिक्का', 'दही और मसालों में मैरीनेट पनीर, तंदूर में सिका हुआ।'],
  'Chicken Tikka': ['चिकन टिक्का', 'धुएँदार लाल मसाले में बोनलेस चिकन, सीख़ पर पका हुआ।'],
  'Tandoori Chicken': ['तंदूरी चिकन', 'कश्मीरी मिर्च, नींबू और अदरक में रात भर मैरीनेट चिकन।'],
  'Malai Broccoli': ['मलाई ब्रोकली', 'चीज़ और इलायची की मलाईदार मैरिनेड में हल्की सिकी ब्रोकली।'],
  'Seekh Kebab': ['सीख़ कबाब', 'हरी मिर्च और धनिये के साथ मटन क़ीमा, सीख़ पर ग्रिल किया हुआ।'],
  'Butter Chicken': ['बटर चिकन', 'टमाटर, मक्खन और कसूरी मेथी की मुलायम ग्रेवी में तंदूरी चिकन।'],
  'Paneer Butter Masala': ['पनीर बटर मसाला', 'टमाटर और काजू की गाढ़ी ग्रेवी में पनीर, ऊपर से मक्खन।'],
  'Dal Makhani': ['दाल मखनी', 'रात भर धीमी आँच पर पकी काली दाल, मक्खन और क्रीम के साथ।'],
  'Lamb Rogan Josh': ['मटन रोगन जोश', 'साबुत मसालों और कश्मीरी मिर्च वाली कश्मीरी मटन करी।'],
  'Thai Green Curry': ['थाई ग्रीन करी', 'थाई तुलसी, बाँस की कोंपलों और मौसमी सब्ज़ियों वाली नारियल करी।'],
  'Japanese Katsu Curry Chicken': ['जापानी कात्सु करी चिकन', 'पैंको में लिपटा चिकन कटलेट, हल्की जापानी करी और अचार के साथ।'],
  'Vegetable Hakka Noodles': ['वेज हक्का नूडल्स', 'पत्तागोभी, गाजर, शिमला मिर्च और हरे प्याज़ के साथ कड़ाही में तले नूडल्स।'],
  'Chicken Pad Thai': ['चिकन पैड थाई', 'इमली, मूँगफली, अंकुरित दाल और नींबू के साथ राइस नूडल्स।'],
  'Burnt Garlic Fried Rice': ['बर्न्ट गार्लिक फ़्राइड राइस', 'कुरकुरे लहसुन, हरे प्याज़ और सोया के साथ तले जैस्मिन चावल।'],
  'Schezwan Chilli Chicken': ['शेज़वान चिली चिकन', 'सूखी लाल मिर्च के साथ तीखी शेज़वान सॉस में चिकन।'],
  'Chicken Dum Biryani': ['चिकन दम बिरयानी', 'केसर और तले प्याज़ के साथ परतों में बासमती चावल और चिकन, दम पर पकी।'],
  'Vegetable Biryani': ['वेज बिरयानी', 'मौसमी सब्ज़ियों, पुदीने और साबुत मसालों के साथ ख़ुशबूदार बासमती चावल।'],
  'Butter Naan': ['बटर नान', 'तंदूर का ख़मीरी नान, मक्खन लगा हुआ।'],
  'Tandoori Roti': ['तंदूरी रोटी', 'तंदूर में सिकी गेहूँ की रोटी।'],
  'Steamed Jasmine Rice': ['उबले जैस्मिन चावल', 'एक कटोरी खिले-खिले उबले जैस्मिन चावल।'],
  'Gulab Jamun': ['गुलाब जामुन', 'गुलाब और इलायची की चाशनी में डूबे गरम गुलाब जामुन।'],
  'Mango Sticky Rice': ['मैंगो स्टिकी राइस', 'पके आम और भुने तिल के साथ मीठे नारियल वाले चिपचिपे चावल।'],
  'Masala Chai': ['मसाला चाय', 'दूध, अदरक और इलायची के साथ बनी असम चाय।'],
  'Fresh Lime Soda': ['फ़्रेश लाइम सोडा', 'ताज़ा नींबू और सोडा: मीठा, नमकीन या मिक्स।'],
  'Mango Lassi': ['मैंगो लस्सी', 'अल्फ़ांसो आम के साथ ठंडी दही की लस्सी।'],
};

/** The Hindi texts of a demo dish, for its groups and options too. */
export function demoHindi(name: string, groupIds: readonly string[], optionIds: readonly string[]): Record<string, MenuItemTranslation> | undefined {
  const texts = DISHES[name];
  if (!texts) return undefined;
  const pick = (ids: readonly string[], from: Record<string, string>) => Object.fromEntries(ids.filter((id) => from[id]).map((id) => [id, from[id]]));
  return { hi: { name: texts[0], description: texts[1], groups: pick(groupIds, GROUPS), options: pick(optionIds, OPTIONS) } };
}

const hi = (kind: NameTranslation['kind'], name: string, text: string): NameTranslation => ({ kind, name, translations: { hi: text } });

export const DEMO_NAMES: readonly NameTranslation[] = [
  hi('category', 'Starters', 'स्टार्टर'),
  hi('category', 'From the Tandoor', 'तंदूर से'),
  hi('category', 'Curries', 'करी'),
  hi('category', 'Wok & Noodles', 'वॉक और नूडल्स'),
  hi('category', 'Rice & Breads', 'चावल और रोटियाँ'),
  hi('category', 'Desserts & Drinks', 'मिठाइयाँ और पेय'),
  hi('station', 'GRILL', 'ग्रिल'),
  hi('station', 'FRYER', 'फ़्रायर'),
  hi('station', 'TANDOOR', 'तंदूर'),
  hi('station', 'BAR', 'बार'),
  hi('station', 'COLD', 'ठंडा'),
  hi('station', 'WOK', 'वॉक'),
  hi('floor', 'Ground Floor', 'भूतल'),
  hi('floor', 'First Floor', 'पहली मंज़िल'),
];
