#!/usr/bin/env python3
# A copy of ../shared/bench/gen_corpus.py (the corpus the team benchmarks with), kept here
# so that scripts/bench.sh and the validity tests work from a fresh checkout.
"""Deterministic synthetic corpus of "cooperation reports" for SSG benchmarks.

Writes the same N reports as three equivalent sites under OUT/:

  ours/   communique's format: site.yaml + content/reports/<slug>.md
          (YAML front matter: cities, officials, figures, topics)
  hugo/   Hugo site: taxonomies cities/people/topics, officials/figures as params,
          minimal layouts in layouts/ (no theme), no RSS/sitemap/robots/section pages
  zola/   Zola site: YAML front matter (--- fences), taxonomies cities/people/topics,
          officials/figures under extra, minimal templates, no feeds/search/highlighting

Usage: gen_corpus.py --n 10000 --seed 42 --out /tmp/corpus10k [--flavours ours,hugo,zola]

Python 3 stdlib only. Same --n/--seed => byte-identical output.
"""
import argparse
import bisect
import datetime as dt
import json
import os
import re
import shutil
import sys
import unicodedata
from random import Random

# --------------------------------------------------------------------------------------
# Pools
# --------------------------------------------------------------------------------------

CITIES_BY_COUNTRY = {
    "China": "Beijing Shanghai Tianjin Chongqing Guangzhou Shenzhen Chengdu Wuhan Xi'an Hangzhou "
             "Nanjing Qingdao Jinan Weihai Yantai Dalian Shenyang Harbin Changchun Urumqi Kashgar "
             "Lanzhou Xining Yinchuan Hohhot Baotou Kunming Nanning Guiyang Changsha Nanchang Fuzhou "
             "Xiamen Hefei Zhengzhou Taiyuan Shijiazhuang Lianyungang Suzhou Ningbo Wenzhou Zhuhai "
             "Haikou Sanya Lhasa Manzhouli Erenhot Horgos Yiwu Rizhao Zibo Weifang Linyi Jiaozuo "
             "Luoyang Kaifeng Datong Tangshan Qinhuangdao Dandong",
    "Russia": "Moscow|Saint Petersburg|Novosibirsk|Yekaterinburg|Kazan|Nizhny Novgorod|Chelyabinsk|"
              "Samara|Omsk|Rostov-on-Don|Ufa|Krasnoyarsk|Perm|Voronezh|Volgograd|Krasnodar|Saratov|"
              "Tyumen|Irkutsk|Khabarovsk|Vladivostok|Barnaul|Ulan-Ude|Chita|Blagoveshchensk|Tomsk|"
              "Kemerovo|Orenburg|Astrakhan|Sochi",
    "Kazakhstan": "Astana|Almaty|Shymkent|Karaganda|Aktobe|Taraz|Pavlodar|Ust-Kamenogorsk|Semey|"
                  "Atyrau|Kostanay|Kyzylorda|Aktau|Turkistan|Petropavl",
    "Uzbekistan": "Tashkent|Samarkand|Bukhara|Namangan|Andijan|Fergana|Nukus|Karshi|Termez|Khiva|"
                  "Navoiy|Jizzakh",
    "Kyrgyzstan": "Bishkek|Osh|Jalal-Abad|Karakol|Tokmok|Naryn",
    "Tajikistan": "Dushanbe|Khujand|Kulob|Bokhtar|Khorugh|Istaravshan",
    "India": "New Delhi|Mumbai|Kolkata|Chennai|Bengaluru|Hyderabad|Ahmedabad|Pune|Jaipur|Lucknow|"
             "Kochi|Varanasi|Chandigarh|Bhopal|Indore|Nagpur|Surat|Visakhapatnam|Guwahati|Amritsar",
    "Pakistan": "Islamabad|Karachi|Lahore|Peshawar|Quetta|Faisalabad|Multan|Rawalpindi|Gwadar|Sialkot",
    "Iran": "Tehran|Isfahan|Mashhad|Tabriz|Shiraz|Bandar Abbas|Qom|Ahvaz",
    "Belarus": "Minsk|Brest|Grodno|Gomel|Mogilev|Vitebsk",
    "Mongolia": "Ulaanbaatar|Darkhan|Erdenet|Choibalsan|Khovd",
    "Turkey": "Ankara|Istanbul|İzmir|Bursa|Antalya|Gaziantep|Konya|Trabzon",
    "Azerbaijan": "Baku|Ganja|Sumqayit|Lankaran",
    "Armenia": "Yerevan|Gyumri|Vanadzor",
    "Georgia": "Tbilisi|Batumi|Kutaisi|Rustavi",
    "Turkmenistan": "Ashgabat|Türkmenabat|Mary|Turkmenbashi",
    "Afghanistan": "Kabul|Herat|Mazar-i-Sharif",
    "Nepal": "Kathmandu|Pokhara|Lalitpur",
    "Sri Lanka": "Colombo|Kandy|Galle",
    "Cambodia": "Phnom Penh|Siem Reap|Sihanoukville",
    "Vietnam": "Hanoi|Ho Chi Minh City|Da Nang|Hải Phòng",
    "Saudi Arabia": "Riyadh|Jeddah|Dammam",
    "United Arab Emirates": "Abu Dhabi|Dubai|Sharjah",
    "Qatar": "Doha",
    "Egypt": "Cairo|Alexandria|Port Said",
    "Kuwait": "Kuwait City",
    "Bahrain": "Manama",
    "Myanmar": "Yangon|Mandalay",
    "Maldives": "Malé",
    "Laos": "Vientiane|Luang Prabang",
    "Thailand": "Bangkok|Chiang Mai|Phuket",
    "Malaysia": "Kuala Lumpur|Penang|Johor Bahru",
    "Indonesia": "Jakarta|Surabaya|Bandung",
    "Singapore": "Singapore",
    "Serbia": "Belgrade|Novi Sad|Niš",
    "Hungary": "Budapest|Debrecen",
    "Czech Republic": "Prague|Brno",
    "Poland": "Warsaw|Kraków|Łódź",
    "Germany": "Berlin|Hamburg|Munich|Duisburg|Leipzig",
    "France": "Paris|Lyon|Marseille",
    "Italy": "Rome|Milan|Genoa",
    "Spain": "Madrid|Barcelona",
    "Greece": "Athens|Piraeus",
    "Austria": "Vienna",
    "Switzerland": "Geneva|Zurich",
    "Belgium": "Brussels",
    "Netherlands": "Rotterdam",
    "United Kingdom": "London|Manchester",
    "Portugal": "Lisbon",
    "Bulgaria": "Sofia",
    "Romania": "Bucharest",
    "Nigeria": "Abuja|Lagos",
    "Kenya": "Nairobi|Mombasa",
    "Ethiopia": "Addis Ababa",
    "South Africa": "Pretoria|Johannesburg|Cape Town",
    "Tanzania": "Dar es Salaam",
    "Morocco": "Rabat|Casablanca",
    "Algeria": "Algiers",
    "Angola": "Luanda",
    "Senegal": "Dakar",
    "Ghana": "Accra",
    "Zambia": "Lusaka",
    "Djibouti": "Djibouti City",
    "Brazil": "Brasília|São Paulo|Rio de Janeiro",
    "Argentina": "Buenos Aires",
    "Chile": "Santiago",
    "Peru": "Lima",
    "Mexico": "Mexico City|Monterrey",
    "United States": "Washington|New York|Los Angeles",
    "Canada": "Ottawa|Vancouver",
    "Cuba": "Havana",
    "Venezuela": "Caracas",
    "Japan": "Tokyo|Osaka|Yokohama",
    "South Korea": "Seoul|Busan|Incheon",
    "Philippines": "Manila",
    "Australia": "Canberra|Sydney",
    "New Zealand": "Wellington",
}

# First names | surnames per culture. "F:" marks female given names for cultures whose
# surnames inflect (Russian-style -ov/-ova).
CULTURES = {
    "chinese": (
        "Luming Wei Jianguo Xiaoming Haiyan Yi Qiang Hong Jun Lei Ping Jing Min Zhiqiang Xiuying "
        "Guohua Yongkang Chunhua Lijun Dongsheng Weidong Jinping Keqiang Yang Xiaolin Yanping "
        "Zhenhua Shaohua Mingyu Tao Yuxin Huaqing Zhaoxing Jiechi Qishan Lifeng Wenjun Xuefeng",
        "Wang Li Zhang Liu Chen Yang Zhao Huang Zhou Wu Xu Sun Hu Zhu Gao Lin He Guo Ma Luo Liang "
        "Song Zheng Xie Han Tang Feng Yu Dong Xiao Cheng Cao Yuan Deng Fu Shen Zeng Peng Lü Qin",
        "surname_first"),
    "russian": (
        "Vladimir Sergei Alexander Dmitry Andrei Nikolai Mikhail Igor Yuri Pavel Oleg Viktor "
        "Konstantin Anatoly Gennady Boris Yevgeny Maxim Denis Roman "
        "F:Elena F:Olga F:Tatiana F:Natalia F:Irina F:Svetlana F:Valentina F:Maria F:Anna F:Yulia",
        "Ivanov Petrov Sidorov Smirnov Kuznetsov Popov Sokolov Lebedev Kozlov Novikov Morozov "
        "Volkov Solovyov Vasiliev Zaitsev Pavlov Semenov Golubev Vinogradov Bogdanov Vorobyov "
        "Fyodorov Mikhailov Belyaev Tarasov Belov Komarov Orlov Kiselyov Makarov Andreyev "
        "Kovalyov Ilyin Gusev Titov Kuzmin Kudryavtsev Baranov Kulikov Alexeyev Lavrov Shuvalov",
        "inflect"),
    "belarusian": (
        "Alexander Viktor Sergei Vladimir Andrei Roman Ivan F:Natalia F:Marina F:Lidia",
        "Lukashenko Kovalenko Marchenko Bondarenko Tkachenko Kravchenko Golovchenko Makei "
        "Rumas Snopkov Petrishenko Krutoi",
        "plain"),
    "kazakh": (
        "Kassym-Jomart Nursultan Askar Yerlan Marat Bakhyt Serik Dauren Timur Bauyrzhan Kairat "
        "Nurlan Alikhan Mukhtar F:Aigerim F:Gulnara F:Saule F:Dariga F:Aliya",
        "Tokayev Nazarbayev Mamin Sagintayev Akhmetov Suleimenov Zhaksybekov Iskakov Abenov "
        "Baimukhanov Kulibayev Tasmagambetov Smailov Yessimov Tileuberdi Koshanov Ashimbayev "
        "Bektenov Sklyar Zhumangarin",
        "inflect"),
    "uzbek": (
        "Shavkat Abdulaziz Vladimir Bakhtiyor Jamshid Sardor Rustam Otabek Sherzod Ulugbek Aziz "
        "Bakhodir Abdulla Saida F:Dilnoza F:Gulnora F:Tanzila",
        "Mirziyoyev Norov Aripov Kamilov Saidov Rashidov Yusupov Ismoilov Tursunov Khodjaev "
        "Abdullaev Usmanov Salimov Kuchkarov Umurzakov Ikramov Khodjayev Azimov",
        "inflect"),
    "kyrgyz": (
        "Sooronbay Almazbek Sadyr Kubanychbek Chingiz Aibek Nurbek Jeenbek Ulukbek F:Roza F:Aida",
        "Jeenbekov Atambayev Japarov Abdyldaev Isakov Omurbekov Toktogulov Sydykov Aidarbekov "
        "Kasymaliev Maripov Tashiev",
        "inflect"),
    "tajik": (
        "Emomali Rustam Sirojiddin Davlatali Kokhir Farrukh Sherali Zafar Nematullo F:Mehriniso F:Ozoda",
        "Rahmon Muhriddin Said Rasulzoda Aslov Khayrulloev Qodiri Sharipov Hamrokhon Zokirzoda "
        "Saidzoda Davlatzoda",
        "plain"),
    "indian": (
        "Narendra Rajnath Subrahmanyam Amit Arun Sushma Nirmala Piyush Rahul Priya Anil Sunil "
        "Vikram Ravi Deepak Lakshmi Ananya Suresh Ramesh Kavita Arvind Meenakshi Harsh Vinay",
        "Modi Singh Jaishankar Shah Sharma Gupta Patel Reddy Iyer Nair Menon Rao Verma Kumar "
        "Chatterjee Banerjee Mukherjee Desai Joshi Kapoor Goyal Sitharaman Doval Kwatra",
        "plain"),
    "pakistani": (
        "Imran Shehbaz Bilawal Asif Nawaz Ahsan Ishaq Khurram Faisal Hina Maryam Ayesha Jalil Zahid",
        "Khan Sharif Qureshi Iqbal Dar Dastgir Abbasi Malik Chaudhry Butt Rabbani Zardari Hashmi "
        "Baloch Kakar Jilani",
        "plain"),
    "iranian": (
        "Hassan Ebrahim Hossein Abbas Ali Reza Mahmoud Masoud Mehdi Mohammad Javad Zahra Fatemeh "
        "Parisa Kazem",
        "Rouhani Zarif Raisi Araghchi Larijani Velayati Jahangiri Mohammadi Hosseini Ahmadi Rezaei "
        "Karimi Gharibabadi Pezeshkian Sadeghi Tavakoli",
        "plain"),
    "mongolian": (
        "Battulga Khürelsükh Elbegdorj Enkhbayar Oyun-Erdene Tsogtbaatar Gombojav Sainbuyan "
        "Munkh-Orgil Batbold Enkhtaivan Bat-Erdene Saikhanbileg",
        "Khaltmaagiin Ukhnaagiin Tsakhiagiin Nambaryn Luvsannamsrain Batbayaryn Damdinsürengiin "
        "Sükhbaataryn Dashzegviin Jargaltulgyn",
        "surname_first"),
    "turkish": (
        "Recep Mevlüt Hakan Ahmet Mehmet Mustafa Ayşe Fatma Emine Ömer Çağlar Şükrü İbrahim Kemal "
        "Zeynep Cevdet Süleyman",
        "Erdoğan Çavuşoğlu Fidan Davutoğlu Yılmaz Kaya Demir Şahin Çelik Yıldız Öztürk Aydın "
        "Özdemir Arslan Doğan Kılıç Aslan Çetin Kara Koç Bolat",
        "plain"),
    "azerbaijani": (
        "Ilham Jeyhun Elmar Ali Hikmet Mukhtar Shahin F:Mehriban F:Sahiba",
        "Aliyev Bayramov Mammadyarov Asadov Hajiyev Mustafayev Guliyev Huseynov Jabbarov",
        "inflect"),
    "armenian": (
        "Nikol Ararat Armen Zareh Vahagn Tigran Mher Anahit Lilit",
        "Pashinyan Mirzoyan Sarkissian Grigoryan Hakobyan Petrosyan Avinyan Khachatryan Papikyan",
        "plain"),
    "georgian": (
        "Irakli Giorgi Davit Levan Nikoloz Salome Nino Tamar",
        "Garibashvili Kobakhidze Zurabishvili Beridze Kapanadze Gelashvili Darsalia Papuashvili",
        "plain"),
    "turkmen": (
        "Gurbanguly Serdar Rashid Batyr Kasymguly Maral Aknabat",
        "Berdimuhamedow Meredow Atayew Orazow Amanow Gurbanow Rejepow",
        "plain"),
    "afghan": (
        "Ashraf Hamid Zalmai Amrullah Mohammad Rangin Habiba Fawzia",
        "Ghani Karzai Rassoul Saleh Atmar Stanekzai Wardak Popal Durrani Sarabi Koofi",
        "plain"),
    "nepali": (
        "Pushpa Sher Bidya Ram Krishna Gyanendra Sita Binod Narayan",
        "Dahal Deuba Oli Bhandari Thapa Gurung Shrestha Khadka Poudel Saud",
        "plain"),
    "sinhala": (
        "Ranil Mahinda Gotabaya Chandrika Anura Dinesh Sajith Harini Ali",
        "Wickremesinghe Rajapaksa Bandaranaike Perera Fernando Jayasuriya Gunawardena "
        "Amarasuriya Dissanayake Sabry",
        "plain"),
    "khmer": (
        "Sen Manet Sokhonn An Sim Kheng Vissoth Chanthol Kheang",
        "Hun Prak Sok Chea Sar Vongsey Sun",
        "surname_first"),
    "vietnamese": (
        "Phúc Trọng Chính Hùng Lan Mai Dũng Sơn Hải Thắng Minh Tuấn Ngọc",
        "Nguyễn Trần Lê Phạm Hoàng Phan Vũ Đặng Bùi Đỗ",
        "vietnamese"),
    "arabic": (
        "Mohammed Ahmed Abdullah Faisal Khalid Omar Youssef Sultan Hamad Tamim Salman Nasser "
        "Fatima Aisha Mariam Sameh Badr Adel",
        "Al_Nahyan Al_Thani Al_Saud Al_Maktoum Al-Jubeir El-Sisi Shoukry Abdelatty Al-Sabah "
        "Al_Khalifa Hassan Mansour Haddad Al_Jaber Al_Zayani Al-Falih Al_Marri",
        "plain"),
    "burmese": (
        "Aung Min Thein Win Kyaw Than Zaw Myo",
        "Hlaing Myint Sein Tun Zaw Oo Htun Lwin Naing",
        "plain"),
    "lao": (
        "Thongloun Sonexay Saleumxay Phankham Bounthong Kikeo",
        "Sisoulith Siphandone Kommasith Viphavanh Chitmany Khaykhamphithoune",
        "plain"),
    "thai": (
        "Prayut Somchai Srettha Thaksin Anutin Pita Don Parnpree Maris Paetongtarn",
        "Chan-o-cha Thavisin Shinawatra Charnvirakul Limjaroenrat Wongsawat Pramudwinai "
        "Puangketkeow Sangiampongsa",
        "plain"),
    "malay": (
        "Anwar Joko Retno Prabowo Mahathir Siti Zambry Saifuddin Sugiono Vivian Hsien",
        "Ibrahim Widodo Marsudi Subianto Mohamad Nurhaliza Abdul Kadir Nasution Balakrishnan "
        "Loong Hartarto Sulaiman",
        "plain"),
    "central_european": (
        "Andrzej Mateusz Zbigniew Agnieszka Miloš Aleksandar Ivica Petr Jiří Tomáš Zuzana Viktor "
        "Péter Radoslav Klaus",
        "Duda Morawiecki Kowalski Nowak Wiśniewski Wójcik Vučić Dačić Zeman Dvořák Novák Svoboda "
        "Horváth Orbán Szijjártó Fico Iohannis Radev",
        "plain"),
    "german": (
        "Hans Klaus Angela Olaf Frank-Walter Annalena Jürgen Wolfgang Ursula Matthias Stefan "
        "Katrin Sören Jörg",
        "Müller Schmidt Schneider Fischer Weber Meyer Wagner Becker Schulz Hoffmann Koch Bauer "
        "Richter Klein Wolf Schröder Neumann Schwarz Zimmermann Krüger Steinmeier Scholz",
        "plain"),
    "french": (
        "Jean Pierre Marie François Emmanuel Élisabeth Jean-Yves Catherine Laurent Hélène "
        "Stéphane Amélie Gérald",
        "Martin Bernard Dubois Thomas Robert Richard Petit Durand Leroy Moreau Lefèvre Girard "
        "Bonnet Dupont Lambert Fontaine Rousseau Chevalier Le_Drian Colonna",
        "plain"),
    "italian": (
        "Giuseppe Mario Giorgia Sergio Luigi Antonio Francesca Paolo Chiara Matteo",
        "Rossi Russo Ferrari Esposito Bianchi Romano Colombo Ricci Mattarella Meloni Tajani Di_Maio",
        "plain"),
    "spanish": (
        "José Juan María Carlos Luis Ana Miguel Javier Lucía Andrés Sofía Alejandro Nicolás Gabriel",
        "García Rodríguez Martínez López González Pérez Sánchez Ramírez Torres Flores Rivera Gómez "
        "Díaz Hernández Muñoz Álvarez Romero Ruiz Ortega Castillo Boric Maduro",
        "plain"),
    "portuguese": (
        "João Fernando Paulo Mariana Rodrigo Gabriela Luiz Celso Mauro Marina",
        "Silva Santos Oliveira Souza Pereira Costa Carvalho Almeida Ferreira Rodrigues Gonçalves "
        "Amorim Vieira",
        "plain"),
    "greek": (
        "Kyriakos Alexis Nikos Eleni Giorgos Katerina Dimitris",
        "Mitsotakis Tsipras Dendias Papadopoulos Georgiou Nikolaidis Gerapetritis",
        "plain"),
    "dutch": (
        "Mark Wopke Sigrid Jan Pieter Hanke Dick",
        "Rutte Hoekstra Kaag de_Vries van_Dijk Jansen Bakker Schoof Bruins",
        "plain"),
    "english": (
        "John James Robert Mary Elizabeth David Sarah Michael Emma Richard Anthony Catherine "
        "Justin Penny Chris",
        "Smith Johnson Williams Brown Jones Miller Davis Wilson Taylor Anderson Thomas Clarke "
        "O'Brien McDonald Walker Hughes Albanese Wong Blinken",
        "plain"),
    "african": (
        "Olusegun Chinedu Ngozi Uhuru William Abiy Cyril Thabo Amina Kwame Macky Samia Hakainde "
        "Paul Naledi Ismail",
        "Obasanjo Okonjo-Iweala Kenyatta Ruto Ahmed Ramaphosa Mbeki Mohammed Nkrumah Sall Hassan "
        "Hichilema Kagame Adeyemi Okafor Mensah Diallo Traoré Mwangi Otieno Pandor Guelleh",
        "plain"),
    "japanese": (
        "Hiroshi Takeshi Yoshihide Fumio Taro Yoko Keiko Kenji Masahiro Shinzo Yoshimasa",
        "Tanaka Suzuki Sato Takahashi Watanabe Ito Yamamoto Nakamura Kobayashi Kato Kishida Abe "
        "Motegi Hayashi",
        "plain"),
    "korean": (
        "Jae-in Suk-yeol Min-jun Seo-yeon Ji-hoon Hyun-woo Eun-ji Sang-hoon Young-ho Kyung-wha Jin",
        "Kim Lee Park Choi Jung Kang Cho Yoon Jang Lim Moon Chung",
        "surname_first"),
    "filipino": (
        "Ferdinand Rodrigo Enrique Maria Teodoro Sara Manuel",
        "Marcos Duterte Manalo Santos Reyes Cruz Bautista Locsin Lazaro",
        "plain"),
}

COUNTRY_CULTURE = {
    "China": "chinese", "Russia": "russian", "Kazakhstan": "kazakh", "Uzbekistan": "uzbek",
    "Kyrgyzstan": "kyrgyz", "Tajikistan": "tajik", "India": "indian", "Pakistan": "pakistani",
    "Iran": "iranian", "Belarus": "belarusian", "Mongolia": "mongolian", "Turkey": "turkish",
    "Azerbaijan": "azerbaijani", "Armenia": "armenian", "Georgia": "georgian",
    "Turkmenistan": "turkmen", "Afghanistan": "afghan", "Nepal": "nepali", "Sri Lanka": "sinhala",
    "Cambodia": "khmer", "Vietnam": "vietnamese", "Saudi Arabia": "arabic",
    "United Arab Emirates": "arabic", "Qatar": "arabic", "Egypt": "arabic", "Kuwait": "arabic",
    "Bahrain": "arabic", "Myanmar": "burmese", "Maldives": "arabic", "Laos": "lao",
    "Thailand": "thai", "Malaysia": "malay", "Indonesia": "malay", "Singapore": "malay",
    "Serbia": "central_european", "Hungary": "central_european", "Czech Republic": "central_european",
    "Poland": "central_european", "Bulgaria": "central_european", "Romania": "central_european",
    "Germany": "german", "Austria": "german", "Switzerland": "german", "France": "french",
    "Belgium": "french", "Italy": "italian", "Spain": "spanish", "Greece": "greek",
    "Netherlands": "dutch", "United Kingdom": "english", "United States": "english",
    "Canada": "english", "Australia": "english", "New Zealand": "english", "Portugal": "portuguese",
    "Brazil": "portuguese", "Argentina": "spanish", "Chile": "spanish", "Peru": "spanish",
    "Mexico": "spanish", "Cuba": "spanish", "Venezuela": "spanish", "Nigeria": "african",
    "Kenya": "african", "Ethiopia": "african", "South Africa": "african", "Tanzania": "african",
    "Morocco": "arabic", "Algeria": "arabic", "Angola": "portuguese", "Senegal": "african",
    "Ghana": "african", "Zambia": "african", "Djibouti": "african", "Japan": "japanese",
    "South Korea": "korean", "Philippines": "filipino",
}

# Relative weight of a country when drawing people (SCO-centric corpus).
COUNTRY_PEOPLE_WEIGHT = {
    "China": 30, "Russia": 10, "Kazakhstan": 6, "Uzbekistan": 6, "Kyrgyzstan": 4, "Tajikistan": 4,
    "India": 5, "Pakistan": 5, "Iran": 4, "Belarus": 3, "Mongolia": 3, "Turkey": 2,
}

SCO_ROLES = [
    "SCO Secretary-General", "Deputy Secretary-General of the SCO",
    "Director of the SCO RATS Executive Committee", "Chairman of the SCO Business Council",
    "Head of the SCO Energy Club", "Chairman of the SCO Interbank Consortium",
    "Director of the SCO Secretariat Department of Economic Cooperation",
    "SCO National Coordinator", "Head of the SCO Observer Mission",
    "Secretary-General of the China-SCO Committee on Good-Neighbourliness",
]

TOPICS = ["trade", "tourism", "energy", "education", "culture", "security", "transport",
          "agriculture", "health", "digital economy", "logistics", "finance", "investment",
          "science and technology", "environment", "sports", "media", "youth", "customs",
          "industrial parks", "e-commerce", "water resources", "poverty reduction",
          "people-to-people exchanges", "connectivity"]

FIGURE_KINDS = [
    # label, unit, lo, hi, float?
    ("GDP", "CNY", 5e10, 4e12, False),
    ("GDP", "USD", 1e9, 6e11, False),
    ("Population", "people", 1e5, 2.5e7, False),
    ("Foreign trade volume", "USD", 1e7, 9e10, False),
    ("Trade with SCO countries", "USD", 1e6, 2e10, False),
    ("Foreign direct investment", "USD", 1e6, 5e9, False),
    ("Tourist arrivals", "people", 1e4, 3e7, False),
    ("Port throughput", "TEU", 1e4, 4e7, False),
    ("Cargo throughput", "tonnes", 1e5, 6e8, False),
    ("GDP growth", "%", 0.5, 12.0, True),
    ("Joint ventures", "companies", 3, 900, False),
    ("China-Europe freight trains", "trains", 10, 5000, False),
    ("Students exchanged", "people", 20, 20000, False),
    ("Direct flights per week", "flights", 1, 120, False),
]

WORDS = ("cooperation partnership dialogue development friendship investment infrastructure "
         "connectivity prosperity mutual_trust exchange initiative platform framework roadmap "
         "memorandum agreement delegation forum pilot_zone corridor network capacity industry "
         "innovation sustainability stability region neighbourhood mechanism consultation "
         "practical results potential complementarity opportunity momentum project programme "
         "consensus strategy vision communication").split()

ADJ = ("practical comprehensive strategic mutually_beneficial long-term constructive fruitful "
       "substantive pragmatic open inclusive green digital high-quality regional bilateral "
       "multilateral steady broad new").split()

VERBS = ("strengthen deepen expand promote advance facilitate enhance support explore implement "
         "upgrade consolidate accelerate broaden").split()
WORDS = [w.replace("_", " ") for w in WORDS]  # "_" joins multiword entries
ADJ = [w.replace("_", " ") for w in ADJ]

# --------------------------------------------------------------------------------------
# Helpers
# --------------------------------------------------------------------------------------


def slugify(s):
    s = unicodedata.normalize("NFKD", s).encode("ascii", "ignore").decode("ascii")
    s = re.sub(r"[^a-zA-Z0-9]+", "-", s).strip("-").lower()
    return s


SAFE_PLAIN = re.compile(r"^[A-Za-z][A-Za-z0-9 .,()\-]*$")


def yq(s):
    """YAML scalar: plain when obviously safe, else a JSON (= YAML double-quoted) string."""
    if SAFE_PLAIN.match(s) and ": " not in s and not s.endswith(" ") and \
            s.lower() not in ("yes", "no", "true", "false", "null", "on", "off", "y", "n"):
        return s
    return json.dumps(s, ensure_ascii=False)


def yqq(s):
    return json.dumps(s, ensure_ascii=False)


class Zipf:
    def __init__(self, n, s):
        w = [1.0 / (r + 1) ** s for r in range(n)]
        acc, self.cum = 0.0, []
        for x in w:
            acc += x
            self.cum.append(acc)
        self.total = acc

    def draw(self, rng):
        return bisect.bisect_left(self.cum, rng.random() * self.total)

    def draw_distinct(self, rng, k):
        out, seen, tries = [], set(), 0
        while len(out) < k and tries < 1000:
            tries += 1
            i = self.draw(rng)
            if i not in seen:
                seen.add(i)
                out.append(i)
        return out


def fmt_num(v):
    return f"{v:,}"


# --------------------------------------------------------------------------------------
# World (cities + people)
# --------------------------------------------------------------------------------------


def build_world(rng):
    cities = []  # (name, country)
    for country, s in CITIES_BY_COUNTRY.items():
        names = s.split() if country == "China" else s.split("|")
        for n in names:
            cities.append((n, country))
    # popularity order: a few hubs first, rest shuffled
    hubs = ["Beijing", "Moscow", "Tashkent", "Astana", "Bishkek", "Shanghai", "Dushanbe",
            "Weihai", "Qingdao", "Almaty", "New Delhi", "Islamabad", "Urumqi", "Xi'an", "Minsk"]
    rest = [c for c in cities if c[0] not in hubs]
    rng.shuffle(rest)
    by_name = dict(cities)
    cities = [(h, by_name[h]) for h in hubs] + rest
    cities_of = {}
    for n, c in cities:
        cities_of.setdefault(c, []).append(n)

    countries = list(CITIES_BY_COUNTRY)
    cweights = [COUNTRY_PEOPLE_WEIGHT.get(c, 1) for c in countries]
    cum, acc = [], 0
    for w in cweights:
        acc += w
        cum.append(acc)

    culture_pools = {}
    for k, (firsts, lasts, style) in CULTURES.items():
        # "_" joins multiword names ("Al_Nahyan" -> "Al Nahyan")
        culture_pools[k] = ([x.replace("_", " ") for x in firsts.split()],
                            [x.replace("_", " ") for x in lasts.split()], style)

    def make_name(country):
        f, ls, style = culture_pools[COUNTRY_CULTURE[country]]
        first = rng.choice(f)
        female = first.startswith("F:")
        first = first[2:] if female else first
        last = rng.choice(ls)
        if style == "inflect" and female and re.search(r"(ov|ev|yov|in)$", last):
            last += "a"
        if style == "surname_first":
            return f"{last} {first}"
        if style == "vietnamese":
            mid = rng.choice(["Văn", "Thị", "Minh", "Xuân", "Quốc", "Đức", "Hữu", "Thanh"])
            return f"{last} {mid} {first}"
        if rng.random() < 0.05 and style == "plain":
            # occasional middle initial / double given name
            return f"{first} {rng.choice('ABCDEFGHJKLMNPRST')}. {last}"
        return f"{first} {last}"

    def make_role(country, home, i):
        if i < len(SCO_ROLES):
            return SCO_ROLES[i]
        r = rng.random()
        if country == "China":
            opts = [f"Secretary of the {home} CPC City Committee", f"Mayor of {home}",
                    f"Vice Mayor of {home}", f"Director of the {home} Foreign Affairs Office",
                    f"Chairman of the {home} Municipal People's Congress",
                    f"Director of the {home} Bureau of Commerce", "Vice Minister of Commerce",
                    "Assistant Minister of Foreign Affairs",
                    f"Party Secretary of the {home} Free Trade Zone",
                    f"President of {home} University"]
        elif country == "Uzbekistan":
            opts = [f"Hokim of {home}", f"Deputy Hokim of {home}",
                    "Minister of Foreign Affairs of Uzbekistan", "Minister of Investment and Foreign Trade",
                    f"Ambassador of Uzbekistan to China", f"Rector of {home} State University"]
        elif country == "Kazakhstan":
            opts = [f"Akim of {home}", f"Deputy Akim of {home}",
                    "Minister of Trade and Integration of Kazakhstan",
                    "Ambassador of Kazakhstan to China", f"Chairman of the {home} Chamber of Entrepreneurs"]
        elif country == "Russia":
            opts = [f"Governor of the {home} Region", f"Mayor of {home}",
                    "Deputy Minister of Economic Development of Russia",
                    "Ambassador of Russia to China", f"Rector of {home} State University",
                    f"Chairman of the {home} City Duma"]
        else:
            opts = [f"Mayor of {home}", f"Deputy Mayor of {home}", f"Governor of {home} Province",
                    f"Minister of Foreign Affairs of {country}",
                    f"Deputy Minister of Economy of {country}", f"Ambassador of {country} to China",
                    f"Consul General of {country} in Shanghai",
                    f"Chairman of the {country} Chamber of Commerce",
                    f"President of the {home} Chamber of Commerce and Industry",
                    f"Head of the {home} City Administration"]
        return opts[int(r * len(opts))]

    people, seen = [], set()
    target = 2000
    i = 0
    guard = 0
    while len(people) < target and guard < 100000:
        guard += 1
        x = rng.random() * acc
        country = countries[bisect.bisect_left(cum, x)]
        if i < len(SCO_ROLES):
            country = ["Uzbekistan", "Kazakhstan", "China", "Russia", "Kyrgyzstan", "Tajikistan",
                       "India", "Pakistan", "Iran", "China"][i]
        name = make_name(country)
        if name in seen:
            continue
        seen.add(name)
        home = rng.choice(cities_of[country])
        people.append({"name": name, "country": country, "home": home,
                       "role": make_role(country, home, i)})
        i += 1
    # popularity: SCO officials first, rest shuffled
    head, tail = people[:len(SCO_ROLES)], people[len(SCO_ROLES):]
    rng.shuffle(tail)
    return cities, head + tail


# --------------------------------------------------------------------------------------
# Reports
# --------------------------------------------------------------------------------------


def sentence(rng, ctx):
    c = ctx
    city = rng.choice(c["cities"])
    o = rng.choice(c["officials"])
    t = rng.choice(c["topics"])
    w1, w2 = rng.choice(WORDS), rng.choice(WORDS)
    a1, a2 = rng.choice(ADJ), rng.choice(ADJ)
    v = rng.choice(VERBS)
    y = c["year"]
    n = rng.randint(2, 40)
    pct = round(rng.uniform(1, 35), 1)
    templates = [
        f"{o['name']} noted that {city} has become an important hub for {t} in the region.",
        f"The parties agreed to {v} {a1} {w1} in the field of {t}.",
        f"According to {o['name']}, bilateral {t} grew by {pct} percent in {y - 1}.",
        f"Both sides stressed the importance of {a1} {w1} and {a2} {w2}.",
        f"The meeting took place in a warm and *friendly* atmosphere.",
        f"It was noted that more than {n} {a1} projects are currently under way in {city}.",
        f"The delegation visited a {w1} centre and a {a2} {w2} park in {city}.",
        f"{o['name']} invited the guests to take part in the **{city} International {t.title()} Forum**.",
        f"The sides exchanged views on {a1} {w1} within the framework of the SCO.",
        f"Special attention was paid to the {w1} of {t} and the role of local governments.",
        f"{city} is ready to {v} {w1} with partners from {o['country']}.",
        f"The {a1} {w2} signed in {y - rng.randint(1, 5)} laid a solid foundation for {t}.",
        f"Participants highlighted the potential of the *{a2} {w1}* for {t}.",
        f"In {y}, {city} received about {fmt_num(rng.randint(1000, 900000))} visitors.",
        f"{o['role']} {o['name']} briefed the guests on the {w1} plan for {y}-{y + 5}.",
        f"As a result, a memorandum on {t} was signed between the two cities.",
        f"The parties will {v} contacts between universities, companies and think tanks.",
        f"More details are available on the [official portal](https://www.{slugify(city)}.example.gov/news/{y}/{n}).",
        f"Experts believe that {t} will remain a ***priority area*** in the coming years.",
        f"The next round of consultations is planned for {y + 1} in {city}.",
    ]
    return rng.choice(templates)


def paragraph(rng, ctx, k_lo=3, k_hi=6):
    return " ".join(sentence(rng, ctx) for _ in range(rng.randint(k_lo, k_hi)))


def make_body(rng, ctx, target_words, earlier):
    c = ctx
    o0 = c["officials"][0]
    o1 = c["officials"][1] if len(c["officials"]) > 1 else c["officials"][0]
    opening = (f"On {c['date_long']}, **{o0['name']}**, {o0['role']}, met with **{o1['name']}**, "
               f"{o1['role']}, in {c['cities'][0]}. " + paragraph(rng, ctx, 2, 4))
    blocks = []  # feature blocks, placed among paragraphs below
    if rng.random() < 0.9:
        items = [f"- {rng.choice(VERBS).capitalize()} {rng.choice(ADJ)} {rng.choice(WORDS)} "
                 f"in {rng.choice(c['topics'])};" for _ in range(rng.randint(3, 6))]
        blocks.append("The sides agreed to:\n\n" + "\n".join(items))
    if rng.random() < 0.6:
        o = rng.choice(c["officials"])
        blocks.append(f"> \"{paragraph(rng, ctx, 1, 3)}\"\n>\n> — {o['name']}, {o['role']}")
    if rng.random() < 0.4:
        rows = ["| Indicator | Value | Year |", "|---|---:|---:|"]
        for _ in range(rng.randint(2, 6)):
            lab, unit, lo, hi, fl = rng.choice(FIGURE_KINDS)
            val = f"{rng.uniform(lo, hi):.1f} {unit}" if fl else f"{fmt_num(int(rng.uniform(lo, hi)))} {unit}"
            rows.append(f"| {lab} ({rng.choice(c['cities'])}) | {val} | {c['year'] - rng.randint(0, 3)} |")
        blocks.append("\n".join(rows))
    if rng.random() < 0.3:
        blocks.append("\n".join(f"{i + 1}. {sentence(rng, ctx)}" for i in range(rng.randint(2, 5))))
    if earlier and rng.random() < 0.5:
        j = rng.choice(earlier)
        blocks.append(f"See also the [earlier report](/reports/{j}/) on related "
                      f"{rng.choice(c['topics'])} cooperation. " + paragraph(rng, ctx, 1, 3))
    nwords = len(opening.split()) + sum(len(b.split()) for b in blocks)
    paras = []
    while nwords < target_words and len(paras) < 40:
        p = paragraph(rng, ctx)
        paras.append(p)
        nwords += len(p.split())
    # place blocks among paragraphs, then 1-3 headings before non-first chunks
    chunks = paras[:]
    for b in blocks:
        chunks.insert(rng.randint(0, len(chunks)), b)
    headings = ["Talks", "Background", "Economic cooperation", "Outcomes", "Next steps",
                "Culture and people-to-people exchanges", "Statements"]
    rng.shuffle(headings)
    n_h = min(rng.randint(1, 3), len(chunks))
    at = sorted(rng.sample(range(len(chunks)), n_h)) if chunks else []
    out = [opening]
    for k, ch in enumerate(chunks):
        if at and k == at[0]:
            out.append(f"## {headings[len(out) % len(headings)]}")
            at.pop(0)
        out.append(ch)
    return "\n\n".join(out) + "\n"


MONTHS = ["January", "February", "March", "April", "May", "June", "July", "August",
          "September", "October", "November", "December"]


def make_report(rng, i, cities, people, czipf, pzipf, earlier_slugs):
    d0 = dt.date(2001, 6, 15)
    date = d0 + dt.timedelta(days=rng.randrange((dt.date(2025, 12, 31) - d0).days))
    n_c = rng.choice([1, 1, 1, 2, 2, 3])
    ci = czipf.draw_distinct(rng, n_c)
    rcities = [cities[k] for k in ci]
    n_o = rng.randint(2, 10)
    pi = pzipf.draw_distinct(rng, n_o)
    officials = [people[k] for k in pi]
    topics = rng.sample(TOPICS, rng.randint(1, 4))
    n_f = rng.randint(0, 8)
    figures = []
    for _ in range(n_f):
        lab, unit, lo, hi, fl = rng.choice(FIGURE_KINDS)
        val = round(rng.uniform(lo, hi), 1) if fl else int(rng.uniform(lo, hi))
        figures.append({"label": lab, "value": val, "unit": unit,
                        "year": date.year - rng.randint(0, 2), "city": rng.choice(rcities)[0]})
    o0, o1 = officials[0], officials[1]
    city0 = rcities[0][0]
    r = rng.random()
    if r < 0.5:
        title = f"{o0['role']} meets {o1['role']}"
    elif r < 0.7:
        title = f"{o0['name']} visits {city0}"
    elif r < 0.85:
        title = f"{city0} hosts talks on {topics[0]} cooperation"
    else:
        title = f"{o0['country']} delegation discusses {topics[0]} with {city0} officials"
    tlist = topics[0] if len(topics) == 1 else ", ".join(topics[:-1]) + " and " + topics[-1]
    summary = f"{o0['name']} and {o1['name']} discussed cooperation in {tlist} in {city0}."
    # no date prefix: Zola would strip a leading YYYY-MM-DD- from the file name
    slug = f"{slugify(title)[:60].rstrip('-')}-{i:06d}"
    ctx = {
        "cities": [c[0] for c in rcities],
        "officials": officials,
        "topics": topics,
        "year": date.year,
        "date_long": f"{date.day} {MONTHS[date.month - 1]} {date.year}",
    }
    body = make_body(rng, ctx, rng.randint(400, 800), earlier_slugs[-200:])
    return {
        "slug": slug, "title": title, "date": date.isoformat(), "summary": summary,
        "cities": rcities, "officials": officials, "figures": figures, "topics": topics,
        "body": body,
    }


# --------------------------------------------------------------------------------------
# Front matter per flavour
# --------------------------------------------------------------------------------------


def fm_officials(rep, indent):
    sp = " " * indent
    out = []
    for o in rep["officials"]:
        out.append(f"{sp}- name: {yq(o['name'])}")
        out.append(f"{sp}  role: {yq(o['role'])}")
        out.append(f"{sp}  country: {yq(o['country'])}")
    return out


def fm_figures(rep, indent):
    sp = " " * indent
    out = []
    for f in rep["figures"]:
        out.append(f"{sp}- label: {yq(f['label'])}")
        out.append(f"{sp}  value: {f['value']}")
        out.append(f"{sp}  unit: {yq(f['unit'])}")
        out.append(f"{sp}  year: {f['year']}")
        out.append(f"{sp}  city: {yq(f['city'])}")
    return out


def flow(xs):
    return "[" + ", ".join(yqq(x) for x in xs) + "]"


def render_ours(rep):
    L = ["---", f"title: {yqq(rep['title'])}", f"date: {rep['date']}",
         f"summary: {yqq(rep['summary'])}", "cities:"]
    L += [f"  - {yq(c[0])}" for c in rep["cities"]]
    L.append("officials:")
    L += fm_officials(rep, 2)
    if rep["figures"]:
        L.append("figures:")
        L += fm_figures(rep, 2)
    else:
        L.append("figures: []")
    L.append(f"topics: {flow(rep['topics'])}")
    L.append("---")
    return "\n".join(L) + "\n" + rep["body"]


def render_hugo(rep):
    L = ["---", f"title: {yqq(rep['title'])}", f"date: {rep['date']}",
         f"summary: {yqq(rep['summary'])}",
         f"cities: {flow([c[0] for c in rep['cities']])}",
         f"people: {flow([o['name'] for o in rep['officials']])}",
         f"topics: {flow(rep['topics'])}",
         "officials:"]
    L += fm_officials(rep, 2)
    if rep["figures"]:
        L.append("figures:")
        L += fm_figures(rep, 2)
    L.append("---")
    return "\n".join(L) + "\n" + rep["body"]


def render_zola(rep):
    L = ["---", f"title: {yqq(rep['title'])}", f"date: {rep['date']}",
         f"description: {yqq(rep['summary'])}",
         "taxonomies:",
         f"  cities: {flow([c[0] for c in rep['cities']])}",
         f"  people: {flow([o['name'] for o in rep['officials']])}",
         f"  topics: {flow(rep['topics'])}",
         "extra:",
         "  officials:"]
    L += fm_officials(rep, 4)
    if rep["figures"]:
        L.append("  figures:")
        L += fm_figures(rep, 4)
    L.append("---")
    return "\n".join(L) + "\n" + rep["body"]


# --------------------------------------------------------------------------------------
# Site skeletons (config + templates)
# --------------------------------------------------------------------------------------

HUGO_CONFIG = """\
baseURL = "https://example.org/"
languageCode = "en"
title = "Cooperation Reports"
# equal work across flavours: no feeds, sitemap, robots, section list pages, pagination
disableKinds = ["RSS", "sitemap", "robotsTXT", "section"]
enableRobotsTXT = false
disableHugoGeneratorInject = true
disableAliases = true
buildFuture = true
enableGitInfo = false

[taxonomies]
  city = "cities"
  person = "people"
  topic = "topics"

[markup.highlight]
  codeFences = false
# Zola's pulldown-cmark does no smart punctuation by default; match it
[markup.goldmark.extensions]
  typographer = false
"""

HUGO_LAYOUTS = {
    "_default/baseof.html": """\
<!DOCTYPE html>
<html lang="en">
<head><meta charset="utf-8"><title>{{ block "title" . }}{{ .Title }} | {{ site.Title }}{{ end }}</title></head>
<body>
<header><a href="{{ "/" | absURL }}">{{ site.Title }}</a> · <a href="{{ "/cities/" | absURL }}">Cities</a> · <a href="{{ "/people/" | absURL }}">People</a> · <a href="{{ "/topics/" | absURL }}">Topics</a></header>
<main>
{{ block "main" . }}{{ end }}
</main>
</body>
</html>
""",
    "_default/single.html": """\
{{ define "main" }}
<article>
<h1>{{ .Title }}</h1>
<time datetime="{{ .Date.Format "2006-01-02" }}">{{ .Date.Format "2 January 2006" }}</time>
<p class="summary">{{ .Params.summary }}</p>
<section class="cities"><h2>Cities</h2><ul>
{{ range .Params.cities }}<li><a href="{{ printf "/cities/%s/" (urlize .) | absURL }}">{{ . }}</a></li>
{{ end }}</ul></section>
<section class="officials"><h2>Officials</h2><ul>
{{ range .Params.officials }}<li><a href="{{ printf "/people/%s/" (urlize .name) | absURL }}">{{ .name }}</a>, {{ .role }} ({{ .country }})</li>
{{ end }}</ul></section>
{{ with .Params.figures }}<table class="figures"><thead><tr><th>Figure</th><th>Value</th><th>Unit</th><th>Year</th><th>City</th></tr></thead><tbody>
{{ range . }}<tr><td>{{ .label }}</td><td>{{ .value }}</td><td>{{ .unit }}</td><td>{{ .year }}</td><td>{{ .city }}</td></tr>
{{ end }}</tbody></table>{{ end }}
<div class="body">
{{ .Content }}
</div>
<p class="topics">Topics: {{ range .Params.topics }}<a href="{{ printf "/topics/%s/" (urlize .) | absURL }}">{{ . }}</a> {{ end }}</p>
</article>
{{ end }}
""",
    "_default/term.html": """\
{{ define "main" }}
<h1>{{ .Data.Plural }}: {{ .Title }}</h1>
<p>{{ len .Pages }} reports</p>
<ul>
{{ range .Pages }}<li><a href="{{ .Permalink }}">{{ .Title }}</a> <time>{{ .Date.Format "2006-01-02" }}</time></li>
{{ end }}</ul>
{{ end }}
""",
    "_default/taxonomy.html": """\
{{ define "main" }}
<h1>{{ .Title }}</h1>
<ul>
{{ range .Data.Terms.Alphabetical }}<li><a href="{{ .Page.Permalink }}">{{ .Page.Title }}</a> ({{ .Count }})</li>
{{ end }}</ul>
{{ end }}
""",
    "index.html": """\
{{ define "main" }}
<h1>{{ site.Title }}</h1>
<ul>
{{ range first 50 (where site.RegularPages "Section" "reports").ByDate.Reverse }}<li><a href="{{ .Permalink }}">{{ .Title }}</a> <time>{{ .Date.Format "2006-01-02" }}</time> {{ .Params.summary }}</li>
{{ end }}</ul>
{{ end }}
""",
    "404.html": """\
{{ define "main" }}<h1>Not found</h1>{{ end }}
""",
}

ZOLA_CONFIG = """\
base_url = "https://example.org"
title = "Cooperation Reports"
compile_sass = false
build_search_index = false
generate_feeds = false
generate_sitemap = false
generate_robots_txt = false
taxonomies = [
    { name = "cities" },
    { name = "people" },
    { name = "topics" },
]

[markdown]
# no [markdown.highlighting] table => no syntax highlighting
"""

ZOLA_TEMPLATES = {
    "base.html": """\
<!DOCTYPE html>
<html lang="en">
<head><meta charset="utf-8"><title>{% block title %}{{ config.title }}{% endblock title %}</title></head>
<body>
<header><a href="{{ config.base_url | safe }}/">{{ config.title }}</a> · <a href="{{ config.base_url | safe }}/cities/">Cities</a> · <a href="{{ config.base_url | safe }}/people/">People</a> · <a href="{{ config.base_url | safe }}/topics/">Topics</a></header>
<main>
{% block main %}{% endblock main %}
</main>
</body>
</html>
""",
    "page.html": """\
{% extends "base.html" %}
{% block title %}{{ page.title }} | {{ config.title }}{% endblock title %}
{% block main %}
<article>
<h1>{{ page.title }}</h1>
<time datetime="{{ page.date }}">{{ page.date | date(format="%-d %B %Y") }}</time>
<p class="summary">{{ page.description }}</p>
<section class="cities"><h2>Cities</h2><ul>
{% for c in page.taxonomies.cities %}<li><a href="{{ get_taxonomy_url(kind="cities", name=c) | safe }}">{{ c }}</a></li>
{% endfor %}</ul></section>
<section class="officials"><h2>Officials</h2><ul>
{% for o in page.extra.officials %}<li><a href="{{ get_taxonomy_url(kind="people", name=o.name) | safe }}">{{ o.name }}</a>, {{ o.role }} ({{ o.country }})</li>
{% endfor %}</ul></section>
{% if page.extra.figures %}<table class="figures"><thead><tr><th>Figure</th><th>Value</th><th>Unit</th><th>Year</th><th>City</th></tr></thead><tbody>
{% for f in page.extra.figures %}<tr><td>{{ f.label }}</td><td>{{ f.value }}</td><td>{{ f.unit }}</td><td>{{ f.year }}</td><td>{{ f.city }}</td></tr>
{% endfor %}</tbody></table>{% endif %}
<div class="body">
{{ page.content | safe }}
</div>
<p class="topics">Topics: {% for t in page.taxonomies.topics %}<a href="{{ get_taxonomy_url(kind="topics", name=t) | safe }}">{{ t }}</a> {% endfor %}</p>
</article>
{% endblock main %}
""",
    "taxonomy_single.html": """\
{% extends "base.html" %}
{% block title %}{{ term.name }} | {{ config.title }}{% endblock title %}
{% block main %}
<h1>{{ taxonomy.name }}: {{ term.name }}</h1>
<p>{{ term.page_count }} reports</p>
<ul>
{% for p in term.pages %}<li><a href="{{ p.permalink | safe }}">{{ p.title }}</a> <time>{{ p.date }}</time></li>
{% endfor %}</ul>
{% endblock main %}
""",
    "taxonomy_list.html": """\
{% extends "base.html" %}
{% block title %}{{ taxonomy.name | capitalize }} | {{ config.title }}{% endblock title %}
{% block main %}
<h1>{{ taxonomy.name | capitalize }}</h1>
<ul>
{% for t in terms %}<li><a href="{{ t.permalink | safe }}">{{ t.name }}</a> ({{ t.page_count }})</li>
{% endfor %}</ul>
{% endblock main %}
""",
    "index.html": """\
{% extends "base.html" %}
{% block main %}
<h1>{{ config.title }}</h1>
{% set reports = get_section(path="reports/_index.md") %}
<ul>
{% for p in reports.pages | slice(end=50) %}<li><a href="{{ p.permalink | safe }}">{{ p.title }}</a> <time>{{ p.date }}</time> {{ p.description }}</li>
{% endfor %}</ul>
{% endblock main %}
""",
    "404.html": """\
{% extends "base.html" %}
{% block main %}<h1>Not found</h1>{% endblock main %}
""",
}

OURS_CONFIG = """\
title: Cooperation Reports
base_url: https://example.org/
"""

def write(path, text):
    os.makedirs(os.path.dirname(path), exist_ok=True)
    with open(path, "w", encoding="utf-8", newline="\n") as f:
        f.write(text)


def main():
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--n", type=int, default=1000, help="number of reports")
    ap.add_argument("--seed", type=int, default=42)
    ap.add_argument("--out", required=True, help="target dir (flavour subdirs are replaced)")
    ap.add_argument("--flavours", default="ours,hugo,zola")
    ap.add_argument("--city-zipf", type=float, default=1.0)
    ap.add_argument("--people-zipf", type=float, default=1.0)
    args = ap.parse_args()
    flavours = [f for f in args.flavours.split(",") if f]
    for f in flavours:
        if f not in ("ours", "hugo", "zola"):
            sys.exit(f"unknown flavour {f}")

    rng = Random(args.seed)
    cities, people = build_world(rng)
    czipf = Zipf(len(cities), args.city_zipf)
    pzipf = Zipf(len(people), args.people_zipf)

    for f in flavours:
        d = os.path.join(args.out, f)
        if os.path.isdir(d):
            shutil.rmtree(d)

    # skeletons
    if "hugo" in flavours:
        d = os.path.join(args.out, "hugo")
        write(os.path.join(d, "config.toml"), HUGO_CONFIG)
        for p, t in HUGO_LAYOUTS.items():
            write(os.path.join(d, "layouts", p), t)
    if "zola" in flavours:
        d = os.path.join(args.out, "zola")
        write(os.path.join(d, "config.toml"), ZOLA_CONFIG)
        for p, t in ZOLA_TEMPLATES.items():
            write(os.path.join(d, "templates", p), t)
        write(os.path.join(d, "content", "_index.md"), "+++\n+++\n")
        write(os.path.join(d, "content", "reports", "_index.md"),
              "+++\ntitle = \"Reports\"\nsort_by = \"date\"\nrender = false\n+++\n")
    if "ours" in flavours:
        d = os.path.join(args.out, "ours")
        write(os.path.join(d, "site.yaml"), OURS_CONFIG)

    stats = {"reports": args.n, "seed": args.seed, "words": 0, "bytes": {f: 0 for f in flavours}}
    city_count, person_count, topic_count = {}, {}, {}
    slugs = []
    renderers = {"ours": render_ours, "hugo": render_hugo, "zola": render_zola}
    for i in range(args.n):
        rep = make_report(rng, i, cities, people, czipf, pzipf, slugs)
        slugs.append(rep["slug"])
        stats["words"] += len(rep["body"].split())
        for c in rep["cities"]:
            city_count[c[0]] = city_count.get(c[0], 0) + 1
        for o in rep["officials"]:
            person_count[o["name"]] = person_count.get(o["name"], 0) + 1
        for t in rep["topics"]:
            topic_count[t] = topic_count.get(t, 0) + 1
        for f in flavours:
            text = renderers[f](rep)
            stats["bytes"][f] += len(text.encode("utf-8"))
            write(os.path.join(args.out, f, "content", "reports", rep["slug"] + ".md"), text)

    stats["distinct_cities"] = len(city_count)
    stats["distinct_people"] = len(person_count)
    stats["distinct_topics"] = len(topic_count)
    stats["max_city_reports"] = max(city_count.values()) if city_count else 0
    stats["max_person_reports"] = max(person_count.values()) if person_count else 0
    stats["top_cities"] = sorted(city_count.items(), key=lambda kv: -kv[1])[:5]
    stats["top_people"] = sorted(person_count.items(), key=lambda kv: -kv[1])[:5]
    stats["avg_words"] = round(stats["words"] / max(1, args.n))
    # expected HTML pages: reports + term pages + 3 taxonomy lists + home (+404)
    stats["expected_pages"] = args.n + len(city_count) + len(person_count) + len(topic_count) + 3 + 1
    write(os.path.join(args.out, "corpus.json"), json.dumps(stats, indent=1, ensure_ascii=False) + "\n")
    print(json.dumps({k: v for k, v in stats.items() if k not in ("top_cities", "top_people")}))


if __name__ == "__main__":
    main()
