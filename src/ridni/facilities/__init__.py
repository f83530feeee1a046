"""Places where children are held: camps, sanatoriums, cadet schools, orphanages, …"""
